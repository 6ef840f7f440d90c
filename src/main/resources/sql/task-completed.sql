-- Only the claim's holder finishes the task: a worker whose lease expired (and whose task another
-- worker took over) changes nothing here.
UPDATE tasks SET state = 'completed', end_time = :#${bean:clock.now}, error = NULL,
    compare_ms = :#${header.figures.millis},
    fg_fraction = :#${header.figures.foregroundFraction},
    uncertain_fraction = :#${header.figures.uncertainFraction},
    components = :#${header.figures.components},
    largest_share = :#${header.figures.largestComponentShare},
    warnings = :#${header.figures.warnings},
    sad = :#${header.figures.sad}, mse = :#${header.figures.mse}, grad = :#${header.figures.grad},
    conn = :#${header.figures.conn}, iou = :#${header.figures.iou},
    updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state = 'comparing' AND worker_id = :#${bean:worker.id}
