-- The task goes in already 'dispatched_matting': the split sends it right after, and a state written
-- between the two would say no more (a send lost to a crash is found the same way from either).
-- Not for a cancelled job: 0 rows, as for a task a re-run split meets again (DO NOTHING: a split
-- re-run after a crash meets the tasks it already created); split.camel.yaml tells the two apart.
-- Two entries with the same output name (cat.jpg, cat.png) must not overwrite each other's results.
INSERT INTO tasks (job_id, task_id, name, output_name, chunk, state, error, updated_at)
SELECT :#job_id, :#task_id, :#name,
       CASE WHEN EXISTS (SELECT 1 FROM tasks WHERE job_id = :#job_id AND output_name = :#output_name)
            THEN :#output_name || '~' || :#task_id ELSE :#output_name END,
       :#chunk, :#state, :#error, :#${bean:clock.now}
WHERE EXISTS (SELECT 1 FROM jobs WHERE job_id = :#job_id AND state <> 'cancelled')
ON CONFLICT DO NOTHING
