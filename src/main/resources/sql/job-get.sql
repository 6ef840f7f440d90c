SELECT * FROM jobs WHERE job_id = :#jobId
