-- Unfinished tasks of running (or splitting) jobs; asked only when nothing is in flight, when there should be none.
SELECT COUNT(*) FROM tasks t JOIN jobs j ON j.job_id = t.job_id
WHERE t.state NOT IN ('completed', 'permanently_failed', 'cancelled') AND j.state IN ('running', 'splitting')
