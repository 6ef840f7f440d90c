-- The job id is job_id everywhere (it was jobs.id), states are checked against the one list
-- (io.mattepipe.state.TaskState / JobState), and a task of a cancelled job is 'cancelled' (it was
-- 'permanently_failed' with the error 'cancelled'). SQLite cannot add a CHECK to a table, so both
-- tables are rebuilt. SQLite's INTEGER is 64-bit already: byte counts need no change.

CREATE TABLE jobs_v2 (
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
    total        INTEGER NOT NULL DEFAULT 0,    -- tasks created so far; final once the split is done
    bytes        INTEGER,                       -- size of what was received
    error        TEXT,
    created_at   TEXT NOT NULL,                 -- UTC, ISO-8601 with milliseconds: sorts as text
    updated_at   TEXT NOT NULL,
    finished_at  TEXT
);
INSERT INTO jobs_v2 (job_id, source, name, state, model, format, bgcolor, mask_only, callback_url, total, bytes, error,
                     created_at, updated_at, finished_at)
SELECT id, source, name, state, model, format, bgcolor, mask_only, callback_url, total, bytes, error,
       created_at, updated_at, finished_at
FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_v2 RENAME TO jobs;

CREATE TABLE tasks_v2 (
    job_id             TEXT NOT NULL,
    task_id            TEXT NOT NULL,
    name               TEXT NOT NULL,           -- sanitised path inside the upload, for people
    output_name        TEXT NOT NULL,           -- results are named after it; unique in the job
    chunk              TEXT,                    -- data/input/{job}/chunks/{task}.{ext}; null when rejected at split
    state              TEXT NOT NULL CHECK (state IN ('pending', 'dispatched_matting', 'processing', 'matting_done',
                                                      'dispatched_comparison', 'comparing', 'completed', 'failed',
                                                      'permanently_failed', 'cancelled')),
    attempts           INTEGER NOT NULL DEFAULT 0,  -- tries started, counted before each try
    retry_count        INTEGER NOT NULL DEFAULT 0,  -- tries that failed
    error              TEXT,
    worker_id          TEXT,                    -- host:pid:thread of the claim's holder
    start_time         TEXT,                    -- when the claim was taken: a lease older than task.lease-ms has expired
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
INSERT INTO tasks_v2
SELECT job_id, task_id, name, output_name, chunk,
       CASE WHEN state = 'permanently_failed' AND error = 'cancelled' THEN 'cancelled' ELSE state END,
       attempts, retry_count, error, worker_id, start_time, end_time, matting_ms, compare_ms, width, height,
       fg_fraction, uncertain_fraction, components, largest_share, warnings, sad, mse, grad, conn, iou, updated_at
FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_v2 RENAME TO tasks;

CREATE UNIQUE INDEX tasks_by_output ON tasks (job_id, output_name);
-- Only unfinished tasks are in it, so "is anything left in this job?" (asked after every task) is
-- one index probe, not a scan of the job: without it a 100,000-task job costs O(n^2). There is no
-- (job_id, state) index any more: SQLite preferred it for that question and walked every finished
-- task of the job (the statement needed INDEXED BY, which PostgreSQL does not have), and it cost
-- an index update on every state change; counts by state walk the job's rows by primary key.
CREATE INDEX tasks_unfinished ON tasks (job_id) WHERE state NOT IN ('completed', 'permanently_failed', 'cancelled');
