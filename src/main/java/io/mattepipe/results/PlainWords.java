package io.mattepipe.results;

/**
 * What the page, the reports and the API's messages call a state, in the words of someone
 * processing photos. The API's fields keep the internal state names; these are for people.
 */
public final class PlainWords {

    private PlainWords() {
    }

    /** A task: "waiting", "removing background", "comparing", "done", "failed: REASON", "cancelled". */
    public static String task(String state, String error) {
        return switch (state == null ? "" : state) {
            case "pending", "dispatched_matting" -> "waiting";
            case "processing" -> "removing background";
            case "matting_done", "dispatched_comparison", "comparing" -> "comparing";
            case "completed" -> "done";
            case "failed" -> "trying again";
            case "cancelled" -> "cancelled";
            // before tasks had a state of their own for it, a cancelled task was failed with this error
            case "permanently_failed" -> "cancelled".equals(error) ? "cancelled"
                    : "failed" + (error == null || error.isBlank() ? "" : ": " + error);
            default -> state;
        };
    }

    /** A job: "uploading", "unpacking", "working", "done", "done, 2 failed", "cancelled". */
    public static String job(String state, long failed) {
        return switch (state == null ? "" : state) {
            case "receiving" -> "uploading";
            case "splitting" -> "unpacking";
            case "running" -> "working";
            case "completed" -> "done";
            case "completed_with_errors" -> failed > 0 ? "done, " + failed + " failed" : "done, with errors";
            case "cancelled" -> "cancelled";
            default -> state;
        };
    }

    /** An image as people know it: the name it was uploaded under, quoted. */
    public static String image(Object name, Object taskId) {
        return name == null ? "image " + taskId : "'" + name + "'";
    }
}
