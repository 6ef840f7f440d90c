-- Queued messages of a cancelled job find their task terminal and are dropped by the claim.
UPDATE tasks SET state = 'cancelled', end_time = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state NOT IN ('completed', 'permanently_failed', 'cancelled')
