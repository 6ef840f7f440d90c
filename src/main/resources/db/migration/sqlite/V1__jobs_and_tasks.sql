-- mattepipe state. SQLite is the source of truth: the queues are in memory, so on start-up every
-- task that is not terminal is re-queued from what these tables say.

CREATE TABLE IF NOT EXISTS jobs (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL,                 -- upload | inbox | batch
    name         TEXT,                          -- what the user gave: file name(s) or folder
    state        TEXT NOT NULL,                 -- receiving splitting running completed completed_with_errors cancelled
    model        TEXT,
    format       TEXT NOT NULL DEFAULT 'png',
    bgcolor      TEXT,
    mask_only    INTEGER NOT NULL DEFAULT 0,
    callback_url TEXT,
    total        INTEGER NOT NULL DEFAULT 0,    -- tasks created so far; final once the split is done
    bytes        INTEGER,                       -- size of what was received
    error        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    finished_at  TEXT
);

CREATE TABLE IF NOT EXISTS tasks (
    job_id             TEXT NOT NULL,
    task_id            TEXT NOT NULL,
    name               TEXT NOT NULL,           -- sanitised path inside the upload, for people
    output_name        TEXT NOT NULL,           -- results are named after it; unique in the job
    chunk              TEXT,                    -- data/input/{job}/chunks/{task}.{ext}; null when rejected at split
    state              TEXT NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,  -- tries started, counted before each try
    retry_count        INTEGER NOT NULL DEFAULT 0,  -- tries that failed
    error              TEXT,
    worker_id          TEXT,
    start_time         TEXT,
    end_time           TEXT,
    matting_ms         INTEGER,
    compare_ms         INTEGER,
    width              INTEGER,
    height             INTEGER,
    fg_fraction        REAL,
    uncertain_fraction REAL,
    components         INTEGER,
    largest_share      REAL,
    warnings           TEXT,
    sad                REAL,
    mse                REAL,
    grad               REAL,
    conn               REAL,
    iou                REAL,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (job_id, task_id)
);

CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks (job_id, state);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_by_output ON tasks (job_id, output_name);
-- Only unfinished tasks are in it, so "is anything left in this job?" (asked after every task) is
-- one index probe, not a scan of the job: without it a 100,000-task job costs O(n^2).
CREATE INDEX IF NOT EXISTS tasks_unfinished ON tasks (job_id) WHERE state NOT IN ('completed', 'permanently_failed');
