package io.mattepipe.app;

import io.mattepipe.access.Caller;
import io.mattepipe.results.PlainWords;
import io.mattepipe.state.JobState;
import io.mattepipe.state.TaskState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of the HTTP API (DESIGN.md, "HTTP API"), built from SQL rows. */
public final class JobViews {

    /** Answered with 404 by the API. */
    public static final class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** Answered with 409 by the API. */
    public static final class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    /**
     * The job, if {@code caller} may see it. Another owner's job answers exactly as an unknown one
     * does, so that a job id says nothing about whether it exists.
     */
    public Map<String, Object> requireJob(Map<String, Object> job, String jobId, Caller caller) {
        if (job == null || job.isEmpty() || caller == null || !caller.mayAccess(job.get("owner"))) {
            throw new NotFoundException("no job " + jobId);
        }
        return job;
    }

    /** A job can be cancelled until it has finished; cancelling a cancelled job again changes nothing. */
    public Map<String, Object> requireCancellable(Map<String, Object> job, String jobId) {
        JobState state = JobState.of(job.get("state"));
        if (state.isFinished() && state != JobState.CANCELLED) {
            throw new ConflictException("job " + jobId + " is " + job.get("state") + ": nothing left to cancel");
        }
        return job;
    }

    /** A zip is complete only once the job is; {@code partial=true} takes what is there now. */
    public Map<String, Object> requireDownloadable(Map<String, Object> job, String jobId, String partial) {
        if (!JobResults.isFinished(job) && !"true".equalsIgnoreCase(partial)) {
            throw new ConflictException("job " + jobId + " is " + job.get("state") + "; add ?partial=true for what is done so far");
        }
        return job;
    }

    /**
     * {@code {"job_id","name","state","status_text","total","counts":{...},"counts_in_words":{...},
     * "completed","failed","in_flight","progress","finished"}}: {@code counts} by state name,
     * {@code counts_in_words} by what people call them ("waiting", "removing background", "done"...),
     * {@code in_flight} the tasks inside a stage and {@code finished} whether the job is, as
     * {@link TaskState} and {@link JobState} say, so that no client keeps its own sets of states.
     */
    public Map<String, Object> status(Map<String, Object> job, List<Map<String, Object>> counts) {
        Map<String, Object> byState = new TreeMap<>();
        Map<String, Long> inWords = new LinkedHashMap<>();
        long seen = 0;
        long inFlight = 0;
        for (Map<String, Object> row : counts) {
            long n = ((Number) row.get("n")).longValue();
            byState.put(row.get("state").toString(), n);
            inWords.merge(PlainWords.task(row.get("state").toString(), null), n, Long::sum);
            seen += n;
            if (TaskState.of(row.get("state")).isInFlight()) {
                inFlight += n;
            }
        }
        long completed = ((Number) byState.getOrDefault(TaskState.COMPLETED.sqlName(), 0L)).longValue();
        long failed = ((Number) byState.getOrDefault(TaskState.PERMANENTLY_FAILED.sqlName(), 0L)).longValue();
        long total = Math.max(seen, ((Number) job.get("total")).longValue());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("job_id", job.get("job_id"));
        status.put("name", job.get("name"));
        status.put("owner", job.get("owner"));
        status.put("state", job.get("state"));
        status.put("status_text", PlainWords.job(String.valueOf(job.get("state")), failed));
        status.put("total", total);
        status.put("counts", byState);
        status.put("counts_in_words", inWords);
        status.put("completed", completed);
        status.put("failed", failed);
        status.put("in_flight", inFlight);
        status.put("progress", progress(completed + failed, total, job));
        status.put("finished", JobResults.isFinished(job));
        status.put("error", job.get("error"));
        status.put("created_at", job.get("created_at"));
        status.put("finished_at", job.get("finished_at"));
        return status;
    }

    public Map<String, Object> jobs(List<Map<String, Object>> rows, int limit, int offset) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> job = new LinkedHashMap<>();
            long completed = ((Number) row.get("completed")).longValue();
            long failed = ((Number) row.get("failed")).longValue();
            job.put("job_id", row.get("job_id"));
            job.put("state", row.get("state"));
            job.put("status_text", PlainWords.job(String.valueOf(row.get("state")), failed));
            job.put("source", row.get("source"));
            job.put("owner", row.get("owner"));
            job.put("name", row.get("name"));
            job.put("total", row.get("total"));
            job.put("completed", completed);
            job.put("failed", failed);
            job.put("progress", progress(completed + failed, ((Number) row.get("total")).longValue(), row));
            job.put("created_at", row.get("created_at"));
            job.put("finished_at", row.get("finished_at"));
            jobs.add(job);
        }
        return page("jobs", jobs, limit, offset);
    }

    /**
     * Task rows as stored, less the server's own file paths, plus {@code status_text} (the state
     * in plain words), {@code has_original} (whether the original can be previewed),
     * {@code retryable} (whether {@code POST /jobs/{job}/retry} would send the task again: permanently
     * failed, by a cause another try can fix, not "not an image" or a corrupt file), and
     * {@code finished} and {@code in_flight} as {@link TaskState} defines them.
     */
    public Map<String, Object> tasks(List<Map<String, Object>> rows, int limit, int offset) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> task = new LinkedHashMap<>(row);
            TaskState state = TaskState.of(row.get("state"));
            task.put("finished", state.isTerminal());
            task.put("in_flight", state.isInFlight());
            task.put("retryable", TaskState.PERMANENTLY_FAILED.sqlName().equals(row.get("state")) && row.get("chunk") != null
                    && row.get("retryable") instanceof Number flag && flag.intValue() == 1);
            task.put("has_original", task.remove("chunk") != null);
            task.put("status_text", PlainWords.task(String.valueOf(row.get("state")), TaskRef.text(row, "error")));
            tasks.add(task);
        }
        return page("tasks", tasks, limit, offset);
    }

    /** A page of the audit trail: {@code {"events": [...], "limit", "offset"}}. */
    public Map<String, Object> auditEvents(List<Map<String, Object>> events, int limit, int offset) {
        return page("events", events, limit, offset);
    }

    public Map<String, Object> accepted(String jobId) {
        return Map.of("job_id", jobId);
    }

    public Map<String, Object> retried(String jobId, int tasks) {
        return Map.of("job_id", jobId, "retried", tasks);
    }

    /**
     * Only a finished job can be deleted: its files are still being written while it runs.
     * {@code deleted} is the row count of the guarded DELETE, 0 when the job was not finished.
     */
    public Map<String, Object> deleted(Map<String, Object> job, int deleted) {
        if (deleted == 0) {
            throw new ConflictException("job " + job.get("job_id") + " is still running: cancel it first (POST /jobs/" + job.get("job_id") + "/cancel), then delete it");
        }
        return Map.of("job_id", job.get("job_id"), "deleted", true);
    }

    /**
     * The status of a failure that is the server's, not the request's: 503 while the database is
     * busy, locked or unreachable (try again), 507 when the disk is full, 500 otherwise.
     */
    public int serverFailureStatus(Throwable failure) {
        if (DiskSpace.isFull(failure)) {
            return 507;
        }
        return DatabaseBusy.isBusy(failure) ? 503 : 500;
    }

    /** What a client is told about a server failure: never exception text or server paths, which go to the log. */
    public Map<String, Object> serverError(Throwable failure) {
        return Map.of("error", switch (serverFailureStatus(failure)) {
            case 503 -> "the database is busy or unavailable; try again shortly";
            case 507 -> "the server's disk is full; try again later";
            default -> "internal error; the server log has the details";
        });
    }

    /** {@code sort} of {@code GET /jobs/{job}/tasks}: {@code task} (the default, upload order) or {@code confidence} (worst first). */
    public boolean byConfidence(String sort) {
        if (sort == null || sort.isBlank() || sort.equals("task")) {
            return false;
        }
        if (sort.equals("confidence")) {
            return true;
        }
        throw new IllegalArgumentException("sort must be task or confidence, got '" + sort + "'");
    }

    /** Page size: 50 unless asked, never more than 1000. */
    public int limit(String limit) {
        int value = limit == null || limit.isBlank() ? 50 : parse("limit", limit);
        return Math.max(1, Math.min(value, 1000));
    }

    public int offset(String offset) {
        return offset == null || offset.isBlank() ? 0 : Math.max(0, parse("offset", offset));
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }

    /** What a job's or task's error column says of a failure: its cause, not Camel's wrappers (a split's "Multicast processing failed"). */
    public String reason(Throwable failure) {
        return ErrorText.of(failure);
    }

    /** The error body of an API call: what went wrong, without Camel's "Failed to invoke method" wrapping. */
    public Map<String, Object> error(Throwable failure) {
        return Map.of("error", ErrorText.of(failure));
    }

    private static Map<String, Object> page(String key, List<Map<String, Object>> items, int limit, int offset) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put(key, items);
        page.put("limit", limit);
        page.put("offset", offset);
        return page;
    }

    /** Percent of tasks terminal, one decimal; 100 only once the job itself is finished. */
    private static double progress(long done, long total, Map<String, Object> job) {
        if (JobResults.isFinished(job)) {
            return 100.0;
        }
        return total == 0 ? 0.0 : Math.min(99.9, Math.round(1000.0 * done / total) / 10.0);
    }
}
