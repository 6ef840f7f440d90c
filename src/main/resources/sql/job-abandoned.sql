-- An upload that never arrived whole: nothing to split.
UPDATE jobs SET state = 'cancelled', error = :#${header.error}, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = :#jobId AND state = 'receiving'
