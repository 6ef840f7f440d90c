-- Queued messages of a cancelled job find their task terminal and are dropped by the claim.
UPDATE tasks SET state = 'permanently_failed', error = 'cancelled', end_time = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE job_id = :#jobId AND state NOT IN ('completed', 'permanently_failed')
