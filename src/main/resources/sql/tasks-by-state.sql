-- All tasks of all jobs by state, for /metrics (a scrape every few seconds, not per task).
SELECT state, COUNT(*) AS n FROM tasks GROUP BY state
