-- Jobs a crash (or a stop) caught before their tasks were all created, from before this start.
SELECT * FROM jobs WHERE state IN ('receiving', 'splitting') AND created_at < :#startedAt ORDER BY created_at
