UPDATE jobs SET state = 'cancelled', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = :#jobId AND state NOT IN ('completed', 'completed_with_errors', 'cancelled')
