-- Every accepted input is a job before anything else happens.
INSERT INTO jobs (job_id, source, name, state, model, format, bgcolor, mask_only, callback_url, render_options, created_at, updated_at)
VALUES (:#jobId, :#source, :#jobName, 'receiving', :#model, :#format, :#bgcolor, :#maskOnly, :#callbackUrl, :#renderOptions, :#${bean:clock.now}, :#${bean:clock.now})
