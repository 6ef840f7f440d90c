-- Finished jobs whose results zip goes to the outbox (inbox drops and serve --process folders).
SELECT * FROM jobs WHERE source IN ('inbox', 'folder') AND state IN ('completed', 'completed_with_errors')
