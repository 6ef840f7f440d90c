package io.mattepipe.app;

import io.mattepipe.state.JobState;
import io.mattepipe.state.TaskState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the API tells a client of the state machine, so that the page keeps no sets of states of its own. */
class JobViewsTest {

    private final JobViews views = new JobViews();

    @Test
    void aJobStatusSaysWhetherTheJobIsFinishedAndHowManyTasksAreInAStage() {
        List<Map<String, Object>> counts = List.of(count("completed", 2), count("processing", 1), count("matting_done", 1),
                count("dispatched_comparison", 1), count("comparing", 1), count("dispatched_matting", 3), count("failed", 1));
        for (JobState state : JobState.values()) {
            Map<String, Object> status = views.status(job(state), counts);
            assertEquals(state.isFinished(), status.get("finished"), state.sqlName());
            assertEquals(4L, status.get("in_flight"), state.sqlName());
        }
        assertEquals(Boolean.TRUE, views.status(job(JobState.CANCELLED), counts).get("finished"));
        assertEquals(Boolean.FALSE, views.status(job(JobState.RUNNING), counts).get("finished"));
    }

    @Test
    void eachTaskSaysWhetherItIsFinishedOrInAStage() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TaskState state : TaskState.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("task_id", state.sqlName());
            row.put("state", state.sqlName());
            rows.add(row);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) views.tasks(rows, 50, 0).get("tasks");
        Map<String, Boolean> finished = new LinkedHashMap<>();
        Map<String, Boolean> inFlight = new LinkedHashMap<>();
        tasks.forEach(task -> {
            finished.put(task.get("state").toString(), (Boolean) task.get("finished"));
            inFlight.put(task.get("state").toString(), (Boolean) task.get("in_flight"));
        });
        assertEquals(Map.of("pending", false, "dispatched_matting", false, "processing", false, "matting_done", false,
                "dispatched_comparison", false, "comparing", false, "completed", true, "failed", false,
                "permanently_failed", true, "cancelled", true), finished);
        assertEquals(Map.of("pending", false, "dispatched_matting", false, "processing", true, "matting_done", true,
                "dispatched_comparison", true, "comparing", true, "completed", false, "failed", false,
                "permanently_failed", false, "cancelled", false), inFlight);
    }

    /** Cancelling is refused only once the job ran to its end; a cancelled job may be cancelled again. */
    @Test
    void aJobCanBeCancelledUntilItCompleted() {
        for (JobState state : JobState.values()) {
            Map<String, Object> job = job(state);
            if (state == JobState.COMPLETED || state == JobState.COMPLETED_WITH_ERRORS) {
                assertThrows(JobViews.ConflictException.class, () -> views.requireCancellable(job, "job-1"), state.sqlName());
            } else {
                assertEquals(job, views.requireCancellable(job, "job-1"), state.sqlName());
            }
        }
    }

    private static Map<String, Object> job(JobState state) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_id", "job-1");
        job.put("state", state.sqlName());
        job.put("total", 10);
        return job;
    }

    private static Map<String, Object> count(String state, long n) {
        return Map.of("state", state, "n", n);
    }
}
