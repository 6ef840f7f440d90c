-- DO NOTHING: a split re-run after a crash meets the tasks it already created.
-- Two entries with the same output name (cat.jpg, cat.png) must not overwrite each other's results.
INSERT INTO tasks (job_id, task_id, name, output_name, chunk, state, error, updated_at)
VALUES (:#job_id, :#task_id, :#name,
        CASE WHEN EXISTS (SELECT 1 FROM tasks WHERE job_id = :#job_id AND output_name = :#output_name)
             THEN :#output_name || '~' || :#task_id ELSE :#output_name END,
        :#chunk, :#state, :#error, :#${bean:clock.now})
ON CONFLICT DO NOTHING
