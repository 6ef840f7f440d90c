-- Claims the task for the comparison stage, as task-processing.sql does for matting. The matting
-- route sends a task on as it leaves it, 'matting_done'; recovery and a retry send it
-- 'dispatched_comparison'.
UPDATE tasks SET state = 'comparing', attempts = attempts + 1, worker_id = :#${bean:worker.id},
    start_time = :#${bean:clock.now}, end_time = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id
  AND (state IN ('matting_done', 'dispatched_comparison', 'failed')
       OR state = 'comparing' AND attempts < :#${properties:retry.max-attempts}
          AND (:#${header.JMSRedelivered} OR start_time < :#${bean:clock.leaseExpiredBefore}))
