SELECT * FROM jobs WHERE id = :#jobId
