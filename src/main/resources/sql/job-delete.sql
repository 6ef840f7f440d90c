-- Only a finished job: a running one still writes files and rows. 0 rows: not finished (409).
DELETE FROM jobs WHERE job_id = :#jobId AND state IN ('completed', 'completed_with_errors', 'cancelled')
