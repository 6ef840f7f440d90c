package io.mattepipe.app;

import io.mattepipe.intake.ArchiveSplitter;
import io.mattepipe.intake.CloseableIterator;
import io.mattepipe.intake.SafeNames;
import io.mattepipe.intake.SplitEntry;
import io.mattepipe.state.TaskState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what a job received into task rows, one at a time: the split route pulls them with
 * {@code streaming}, inserts each and queues it before the next entry is even read, so a job of a
 * million images never has a million messages in memory.
 */
public final class JobSplitter {

    private final ArchiveSplitter splitter;
    private final DataLayout layout;
    /** The jobs this process is splitting now: their tasks are created until the iterator closes. */
    private final Set<String> splitting = ConcurrentHashMap.newKeySet();

    public JobSplitter(ArchiveSplitter splitter, DataLayout layout) {
        this.splitter = splitter;
        this.layout = layout;
    }

    /** Task rows (the columns of {@code tasks} plus the job's options) for the job's input. */
    public CloseableIterator<Map<String, Object>> tasks(Map<String, Object> job) throws IOException {
        String jobId = job.get("job_id").toString();
        // a folder from the command line is read in place; everything else was received into raw/
        Path input = JobIntake.readsInPlace(job.get("source")) ? Path.of(job.get("name").toString()) : layout.raw(jobId);
        CloseableIterator<SplitEntry> entries = splitter.split(input, layout.chunks(jobId), layout.groundTruth(jobId));
        splitting.add(jobId);
        return new CloseableIterator<>() {
            private SplitEntry next;

            @Override
            public boolean hasNext() {
                while (next == null && entries.hasNext()) {
                    SplitEntry entry = entries.next();
                    // ground truth is not a task: the comparison stage finds it by name
                    if (entry.kind() != SplitEntry.Kind.GROUND_TRUTH) {
                        next = entry;
                    }
                }
                return next != null;
            }

            @Override
            public Map<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SplitEntry entry = next;
                next = null;
                return row(job, entry);
            }

            /** Camel closes the iterator when the split's exchange is done, after its route ends. */
            @Override
            public void close() {
                splitEnds(jobId);
                entries.close();
            }
        };
    }

    /**
     * Whether no split of the job runs in this process. A job still being split cannot be complete
     * ({@code job-complete-if-done.sql} wants it {@code running}, which the split's end sets), so
     * the check after each of its tasks may be skipped: the split route runs it itself once it has
     * called {@link #splitEnds}. Another host's split is not seen here; its jobs are checked as before.
     */
    public boolean splitEnded(String jobId) {
        return jobId == null || !splitting.contains(jobId);
    }

    /**
     * The split of the job creates no more tasks: the split route says so before it marks the job
     * {@code running} and checks its completion, and the iterator when it closes (a split that
     * stopped, for a cancel or a shutdown, checks nothing).
     */
    public void splitEnds(String jobId) {
        splitting.remove(jobId);
    }

    private Map<String, Object> row(Map<String, Object> job, SplitEntry entry) {
        boolean rejected = entry.kind() == SplitEntry.Kind.REJECTED;
        Map<String, Object> row = new HashMap<>();
        row.put("job_id", job.get("job_id"));
        row.put("task_id", entry.taskId());
        row.put("name", entry.name());
        row.put("output_name", SafeNames.stem(entry.name()));
        row.put("chunk", rejected ? null : layout.relativize(entry.file()));
        // inserted as sent: the split queues it right after the insert (task-insert.sql)
        row.put("state", (rejected ? TaskState.PERMANENTLY_FAILED : TaskState.DISPATCHED_MATTING).sqlName());
        row.put("error", entry.error());
        for (String option : new String[] {"format", "bgcolor", "mask_only", "callback_url", "render_options"}) {
            row.put(option, job.get(option));
        }
        return row;
    }
}
