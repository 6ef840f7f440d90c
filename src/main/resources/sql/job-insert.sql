-- Every accepted input is a job before anything else happens; it belongs to who sent it.
INSERT INTO jobs (job_id, source, name, state, model, format, bgcolor, mask_only, callback_url, owner, render_options, created_at, updated_at)
VALUES (:#jobId, :#source, :#jobName, 'receiving', :#model, :#format, :#bgcolor, :#maskOnly, :#callbackUrl, :#owner, :#renderOptions, :#${bean:clock.now}, :#${bean:clock.now})
