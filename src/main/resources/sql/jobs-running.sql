-- Jobs whose last task may have finished just before a crash, before the job was marked done.
SELECT job_id FROM jobs WHERE state = 'running'
