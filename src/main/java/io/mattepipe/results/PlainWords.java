package io.mattepipe.results;

import io.mattepipe.state.JobState;
import io.mattepipe.state.TaskState;

/**
 * What the page, the reports and the API's messages call a state, in the words of someone
 * processing photos. The API's fields keep the internal state names; these are for people.
 */
public final class PlainWords {

    private PlainWords() {
    }

    /** A task: "waiting", "removing background", "comparing", "done", "failed: REASON", "cancelled". */
    public static String task(String state, String error) {
        if (!TaskState.isName(state)) {
            return String.valueOf(state);
        }
        return switch (TaskState.of(state)) {
            case PENDING, DISPATCHED_MATTING -> "waiting";
            case PROCESSING -> "removing background";
            case MATTING_DONE, DISPATCHED_COMPARISON, COMPARING -> "comparing";
            case COMPLETED -> "done";
            case FAILED -> "trying again";
            case CANCELLED -> "cancelled";
            // before tasks had a state of their own for it, a cancelled task was failed with this error
            case PERMANENTLY_FAILED -> "cancelled".equals(error) ? "cancelled"
                    : "failed" + (error == null || error.isBlank() ? "" : ": " + error);
        };
    }

    /** A job: "uploading", "unpacking", "working", "done", "done, 2 failed", "cancelled". */
    public static String job(String state, long failed) {
        if (!JobState.isName(state)) {
            return String.valueOf(state);
        }
        return switch (JobState.of(state)) {
            case RECEIVING -> "uploading";
            case SPLITTING -> "unpacking";
            case RUNNING -> "working";
            case COMPLETED -> "done";
            case COMPLETED_WITH_ERRORS -> failed > 0 ? "done, " + failed + " failed" : "done, with errors";
            case CANCELLED -> "cancelled";
        };
    }

    /** An image as people know it: the name it was uploaded under, quoted. */
    public static String image(Object name, Object taskId) {
        return name == null ? "image " + taskId : "'" + name + "'";
    }
}
