-- An inbox drop that a crash caught between its job row and its move out of the inbox: the row
-- holds nothing (the drop is still in the inbox, which takes it again as a job), so it goes.
DELETE FROM jobs WHERE job_id = :#jobId AND state = 'receiving' AND source = 'inbox'
