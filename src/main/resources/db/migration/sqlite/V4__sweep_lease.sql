-- Who runs the recovery sweep: one gateway at a time, though several may serve the API. One row,
-- taken or renewed by sweep-lease.sql in one UPDATE; a holder that stops renewing (it died, hangs
-- or was stopped) loses it when expires_at passes, and the next gateway's sweep takes it.
--
-- A row rather than PostgreSQL's advisory locks: an advisory lock belongs to a database session,
-- and the pool lends its connections to every route, so the lock would stay with whichever
-- connection took it, released only when the pool happens to close that connection, and could be
-- renewed from another connection only by taking it twice. The row is the same SQL on SQLite and
-- PostgreSQL (a single node simply holds it), and an operator can read who sweeps.
CREATE TABLE sweep_lease (
    lease       TEXT PRIMARY KEY,
    holder      TEXT,                    -- host:pid:start of the gateway that sweeps; null before the first
    expires_at  TEXT NOT NULL            -- UTC ISO-8601 with milliseconds, as every time stamp here
);
INSERT INTO sweep_lease (lease, holder, expires_at) VALUES ('recovery', NULL, '1970-01-01T00:00:00.000Z');
