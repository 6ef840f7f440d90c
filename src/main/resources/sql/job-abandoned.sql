-- An upload that never arrived whole: nothing to split.
UPDATE jobs SET state = 'cancelled', error = :#${header.error}, updated_at = :#${bean:clock.now}, finished_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state = 'receiving'
