UPDATE jobs SET state = 'splitting', bytes = :#bytes, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = :#jobId AND state = 'receiving'
