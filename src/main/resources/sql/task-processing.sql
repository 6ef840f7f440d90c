-- Claims the task and counts the attempt before it runs, so a crash mid-try still counts. A task
-- already 'processing' is taken over when its worker died: its message came back from the broker
-- (JMSRedelivered), or its claim is older than task.lease-ms; unless that was its last allowed try
-- (redelivery.camel.yaml then fails it).
UPDATE tasks SET state = 'processing', attempts = attempts + 1, worker_id = :#${bean:worker.id},
    start_time = :#${bean:clock.now}, end_time = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id
  AND (state IN ('dispatched_matting', 'failed')
       OR state = 'processing' AND attempts < :#${properties:retry.max-attempts}
          AND (:#${header.JMSRedelivered} OR start_time < :#${bean:clock.leaseExpiredBefore}))
