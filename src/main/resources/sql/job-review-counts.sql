-- The job's review queue: finished cutouts under review.threshold nobody decided on, and the decisions.
SELECT COALESCE(SUM(CASE WHEN review IS NULL AND confidence < :#${bean:taskReview.threshold} THEN 1 ELSE 0 END), 0) AS to_review,
       COALESCE(SUM(CASE WHEN review = 'accepted' THEN 1 ELSE 0 END), 0) AS accepted,
       COALESCE(SUM(CASE WHEN review = 'rejected' THEN 1 ELSE 0 END), 0) AS rejected
FROM tasks WHERE job_id = :#jobId AND state = 'completed'
