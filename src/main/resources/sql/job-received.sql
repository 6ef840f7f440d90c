UPDATE jobs SET state = 'splitting', bytes = :#bytes, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state = 'receiving'
