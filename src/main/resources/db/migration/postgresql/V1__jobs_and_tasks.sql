-- mattepipe state on PostgreSQL (cluster mode): the schema that db/migration/sqlite reaches at
-- its latest version, in PostgreSQL's types. Byte counts and durations are BIGINT (a 100 GiB
-- upload overflows INTEGER). Times are UTC ISO-8601 text with milliseconds, as on SQLite, so
-- that both stores answer the API alike and they sort as text.

CREATE TABLE jobs (
    job_id       TEXT PRIMARY KEY,
    source       TEXT NOT NULL,                 -- upload | inbox | batch | folder
    name         TEXT,                          -- what the user gave: file name(s) or folder
    state        TEXT NOT NULL CHECK (state IN ('receiving', 'splitting', 'running', 'completed',
                                                'completed_with_errors', 'cancelled')),
    model        TEXT,
    format       TEXT NOT NULL DEFAULT 'png',
    bgcolor      TEXT,
    mask_only    INTEGER NOT NULL DEFAULT 0,
    callback_url TEXT,
    total        BIGINT NOT NULL DEFAULT 0,     -- tasks created so far; final once the split is done
    bytes        BIGINT,                        -- size of what was received
    error        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    finished_at  TEXT
);

CREATE TABLE tasks (
    job_id             TEXT NOT NULL,
    task_id            TEXT NOT NULL,
    name               TEXT NOT NULL,           -- sanitised path inside the upload, for people
    output_name        TEXT NOT NULL,           -- results are named after it; unique in the job
    chunk              TEXT,                    -- input/{job}/chunks/{task}.{ext}; null when rejected at split
    state              TEXT NOT NULL CHECK (state IN ('pending', 'dispatched_matting', 'processing', 'matting_done',
                                                      'dispatched_comparison', 'comparing', 'completed', 'failed',
                                                      'permanently_failed', 'cancelled')),
    attempts           INTEGER NOT NULL DEFAULT 0,  -- tries started, counted before each try
    retry_count        INTEGER NOT NULL DEFAULT 0,  -- tries that failed
    error              TEXT,
    worker_id          TEXT,                    -- host:pid:thread of the claim's holder
    start_time         TEXT,                    -- when the claim was taken: a lease older than task.lease-ms has expired
    end_time           TEXT,
    matting_ms         BIGINT,
    compare_ms         BIGINT,
    width              INTEGER,
    height             INTEGER,
    fg_fraction        DOUBLE PRECISION,
    uncertain_fraction DOUBLE PRECISION,
    components         INTEGER,
    largest_share      DOUBLE PRECISION,
    warnings           TEXT,
    sad                DOUBLE PRECISION,
    mse                DOUBLE PRECISION,
    grad               DOUBLE PRECISION,
    conn               DOUBLE PRECISION,
    iou                DOUBLE PRECISION,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (job_id, task_id)
);

CREATE UNIQUE INDEX tasks_by_output ON tasks (job_id, output_name);
-- "is anything left in this job?" is asked after every task: one probe of the unfinished ones
CREATE INDEX tasks_unfinished ON tasks (job_id) WHERE state NOT IN ('completed', 'permanently_failed', 'cancelled');
