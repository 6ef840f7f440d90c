-- retryable: 0 for failures another try cannot fix (the file is not an image, or cannot be decoded)
UPDATE tasks SET state = 'permanently_failed', error = COALESCE(:#${header.error}, error),
    retryable = COALESCE(:#${header.retryable}, retryable),
    end_time = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state NOT IN ('completed', 'permanently_failed', 'cancelled')
