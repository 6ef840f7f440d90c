-- One statement, so exactly one caller sees an update count of 1 and writes the results.
UPDATE jobs
SET state = CASE WHEN error IS NOT NULL
                   OR EXISTS (SELECT 1 FROM tasks WHERE job_id = :#jobId AND state = 'permanently_failed')
                 THEN 'completed_with_errors' ELSE 'completed' END,
    finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = :#jobId AND state = 'running'
  -- INDEXED BY: left alone, SQLite picks tasks_by_state and walks every completed task of the job
  -- before it meets an unfinished one, after every task: O(n^2) over a job
  AND NOT EXISTS (SELECT 1 FROM tasks INDEXED BY tasks_unfinished
                  WHERE job_id = :#jobId AND state NOT IN ('completed', 'permanently_failed'))
