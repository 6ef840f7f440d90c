UPDATE tasks SET state = 'matting_done', attempts = 0, end_time = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), matting_ms = :#${header.matting.millis},
    width = :#${header.matting.width}, height = :#${header.matting.height}, error = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE job_id = :#job_id AND task_id = :#task_id AND state = 'processing'
