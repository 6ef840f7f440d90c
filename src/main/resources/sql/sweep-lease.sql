-- The recovery sweep's lease (one gateway sweeps at a time): renewed by its holder, or taken once it
-- has expired. 1 row: this gateway sweeps now; 0: another holds it. One UPDATE, so two gateways
-- cannot both take an expired lease: PostgreSQL re-checks the WHERE on the row the first one wrote.
UPDATE sweep_lease SET holder = :#sweeper, expires_at = :#leaseUntil
WHERE lease = 'recovery' AND (holder = :#sweeper OR expires_at < :#now)
