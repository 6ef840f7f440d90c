-- The report links panels by output name, as they are named in the results zip.
SELECT * FROM tasks WHERE job_id = :#jobId AND output_name = :#outputName
