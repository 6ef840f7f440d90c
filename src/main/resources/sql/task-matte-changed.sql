-- A new matte of a finished task (MatteVersions): its version, and the figures of its comparison again.
UPDATE tasks SET matte_version = :#${header.matteVersion},
    compare_ms = :#${header.figures.millis},
    fg_fraction = :#${header.figures.foregroundFraction},
    uncertain_fraction = :#${header.figures.uncertainFraction},
    components = :#${header.figures.components},
    largest_share = :#${header.figures.largestComponentShare},
    warnings = :#${header.figures.warnings},
    sad = :#${header.figures.sad}, mse = :#${header.figures.mse}, grad = :#${header.figures.grad},
    conn = :#${header.figures.conn}, iou = :#${header.figures.iou},
    updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND task_id = :#taskId AND state = 'completed'
