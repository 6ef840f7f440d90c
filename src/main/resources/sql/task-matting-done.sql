-- Only the claim's holder finishes the task (see task-completed.sql).
UPDATE tasks SET state = 'matting_done', attempts = 0, end_time = :#${bean:clock.now}, matting_ms = :#${header.matting.millis},
    width = :#${header.matting.width}, height = :#${header.matting.height},
    confidence = :#${header.matting.confidence}, agreement = :#${header.matting.agreement}, doubts = :#${header.matting.doubts},
    error = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state = 'processing' AND worker_id = :#${bean:worker.id}
