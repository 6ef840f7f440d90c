-- A split resumed after its gateway died sends again the tasks it had created that no worker
-- has claimed: their message may never have been sent. A second message for a task is harmless:
-- the claim takes one of them.
UPDATE tasks SET state = 'dispatched_matting', updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('pending', 'dispatched_matting')
