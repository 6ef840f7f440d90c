-- Not for a cancelled job: the split of a job cancelled while it splits stops here (0 rows).
UPDATE tasks SET state = 'dispatched_matting', updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('pending', 'dispatched_matting', 'processing', 'failed')
  AND EXISTS (SELECT 1 FROM jobs WHERE jobs.job_id = tasks.job_id AND jobs.state <> 'cancelled')
