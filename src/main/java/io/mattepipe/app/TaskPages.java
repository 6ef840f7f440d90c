package io.mattepipe.app;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * All task rows of a job, fetched a page at a time by key (not offset, which rescans), so reports
 * and result zips of any size run in constant memory and hold no database cursor between pages.
 */
public final class TaskPages implements Iterator<Map<String, Object>> {

    private final BiFunction<String, String, List<Map<String, Object>>> fetchAfter;
    private final String jobId;
    private Iterator<Map<String, Object>> page = List.<Map<String, Object>>of().iterator();
    private String lastTaskId = "";
    private boolean exhausted;

    /** @param fetchAfter (jobId, lastTaskId) → the next page of rows ordered by task id; empty at the end */
    public TaskPages(String jobId, BiFunction<String, String, List<Map<String, Object>>> fetchAfter) {
        this.jobId = jobId;
        this.fetchAfter = fetchAfter;
    }

    @Override
    public boolean hasNext() {
        if (!page.hasNext() && !exhausted) {
            List<Map<String, Object>> rows = fetchAfter.apply(jobId, lastTaskId);
            exhausted = rows.isEmpty();
            page = rows.iterator();
        }
        return page.hasNext();
    }

    @Override
    public Map<String, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Map<String, Object> row = page.next();
        lastTaskId = row.get("task_id").toString();
        return row;
    }
}
