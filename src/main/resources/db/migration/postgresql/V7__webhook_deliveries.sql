-- Webhooks (issue 23): each event for a job's callback_url is a row, written when the event
-- happens and sent from here, so a delivery survives a restart and every node can send it.
-- next_attempt_ms (epoch milliseconds) is when it is due; a sender claims it by moving that
-- forward with a guarded UPDATE. attempts counts the calls begun; delivered_at is set on a 2xx,
-- gave_up_at when the last allowed call failed (a sender that died during it leaves the event due).
-- occurrence is the job's finished_at for a job event: a job finished again (its outbox zip made
-- again after a crash) does not tell its receiver twice; NULL, never equal, for a task's event.
CREATE TABLE webhook_deliveries (
    delivery_id      TEXT PRIMARY KEY,
    job_id           TEXT NOT NULL,
    event            TEXT NOT NULL,
    occurrence       TEXT,
    url              TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  BIGINT NOT NULL,
    last_status      INTEGER,
    last_error       TEXT,
    delivered_at     TEXT,
    gave_up_at       TEXT,
    UNIQUE (job_id, event, occurrence)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_ms) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX webhook_deliveries_by_job ON webhook_deliveries (job_id, created_at);

-- Secrets the service makes for itself (the webhook signing secret when callback.secret is
-- blank): in the database, so every node of a cluster signs with the same one.
CREATE TABLE service_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
