package io.mattepipe.app;

import io.mattepipe.image.RenderOptions;
import io.mattepipe.model.OutputOptions;

import java.util.Map;

/**
 * A task as the queues carry it: the {@code tasks} row (joined with its job's options), read with
 * SQLite's column names; {@code render} null unless the upload chose a canvas or crop. Splitting,
 * recovery and retry all produce the same map.
 */
public record TaskRef(String jobId, String taskId, String name, String chunk, OutputOptions options, RenderOptions render) {

    public static TaskRef of(Map<String, Object> row) {
        return new TaskRef(text(row, "job_id"), text(row, "task_id"), text(row, "name"), text(row, "chunk"),
                OutputOptions.parse(text(row, "format"), text(row, "bgcolor"), flag(row.get("mask_only"))),
                JobIntake.renderOptions(text(row, "render_options"), text(row, "format"), text(row, "bgcolor")));
    }

    public static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    public static boolean flag(Object value) {
        return value instanceof Number n ? n.intValue() != 0 : Boolean.parseBoolean(String.valueOf(value));
    }
}
