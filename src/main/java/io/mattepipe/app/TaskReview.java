package io.mattepipe.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.results.PlainWords;
import io.mattepipe.state.TaskState;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's decision on a cutout ({@code POST /jobs/{job}/tasks/{task}/review}) and how many of a
 * job's cutouts are left to look at: the completed ones under {@code review.threshold} that nobody
 * decided on yet. A rejected cutout stays in the job and its reports, but not in its zip.
 */
public final class TaskReview {

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double threshold;

    /** @param threshold a confidence under it puts a cutout in the review queue ({@code review.threshold}) */
    public TaskReview(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("review.threshold must be between 0 and 1, got " + threshold);
        }
        this.threshold = threshold;
    }

    /** Bound into job-review-counts.sql. */
    public double threshold() {
        return threshold;
    }

    /**
     * The stored decision ({@code accepted}, {@code rejected}, or null to undo one) from the query's
     * {@code decision} or the JSON body's: {@code accept}, {@code reject} or {@code clear}.
     */
    public String decision(String body, String query) {
        String asked = query;
        if ((asked == null || asked.isBlank()) && body != null && !body.isBlank()) {
            asked = fromJson(body);
        }
        if (asked == null || asked.isBlank()) {
            throw new IllegalArgumentException("say what to do: decision=accept, reject or clear (query or JSON body {\"decision\": ...})");
        }
        return switch (asked.trim()) {
            case "accept", ACCEPTED -> ACCEPTED;
            case "reject", REJECTED -> REJECTED;
            case "clear" -> null;
            default -> throw new IllegalArgumentException("decision must be accept, reject or clear, got '" + asked.trim() + "'");
        };
    }

    private static String fromJson(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode decision = node == null ? null : node.get("decision");
            return decision == null || !decision.isTextual() ? null : decision.asText();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body must be JSON such as {\"decision\": \"accept\"}: " + e.getOriginalMessage());
        }
    }

    /** Only a completed task has a cutout to judge or change: 404 for no such task, 409 for one not done. */
    public Map<String, Object> requireFinished(Map<String, Object> job, Map<String, Object> task) {
        if (task == null || task.isEmpty()) {
            throw new JobViews.NotFoundException("no such image in job " + job.get("job_id"));
        }
        if (!TaskState.COMPLETED.sqlName().equals(task.get("state"))) {
            throw new JobViews.ConflictException(PlainWords.image(task.get("name"), task.get("task_id")) + " is not done ("
                    + PlainWords.task(String.valueOf(task.get("state")), null) + "): only a finished cutout can be reviewed or changed");
        }
        return task;
    }

    /** The answer to a review: the task's ids, its confidence and the decision now stored. */
    public Map<String, Object> reviewed(Map<String, Object> task, String review) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", task.get("job_id"));
        answer.put("task_id", task.get("task_id"));
        answer.put("confidence", task.get("confidence"));
        answer.put("review", review);
        return answer;
    }

    /**
     * The job's status with {@code review}: {@code {"threshold", "to_review", "accepted", "rejected"}},
     * from the row of job-review-counts.sql.
     */
    public Map<String, Object> withReview(Map<String, Object> status, Map<String, Object> counts) {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("threshold", threshold);
        for (String count : new String[] {"to_review", ACCEPTED, REJECTED}) {
            Object n = counts == null ? null : counts.get(count);
            review.put(count, n instanceof Number number ? number.longValue() : 0L);
        }
        Map<String, Object> answer = new LinkedHashMap<>(status);
        answer.put("review", review);
        return answer;
    }
}
