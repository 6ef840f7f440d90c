-- Jobs a crash caught before their tasks were all created.
SELECT * FROM jobs WHERE state IN ('receiving', 'splitting') ORDER BY created_at
