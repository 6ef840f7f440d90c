-- Every unfinished task of a cancelled job ends 'cancelled'. Queued messages then find their task
-- terminal and are dropped by the claim; a run already inside the model finishes, and its result is
-- not recorded (task-matting-done.sql needs 'processing').
UPDATE tasks SET state = 'cancelled', end_time = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state NOT IN ('completed', 'permanently_failed', 'cancelled')
