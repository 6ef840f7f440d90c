SELECT j.*,
       (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.job_id AND t.state = 'completed') AS completed,
       (SELECT COUNT(*) FROM tasks t WHERE t.job_id = j.job_id AND t.state = 'permanently_failed') AS failed
FROM jobs j
WHERE :#seesAll = 1 OR j.owner = :#owner
ORDER BY j.created_at DESC, j.job_id LIMIT :#limit OFFSET :#offset
