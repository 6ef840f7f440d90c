package io.mattepipe.results;

import java.util.function.Function;

/** The per-task quality figures, in report order; the ground-truth ones exist only where a true matte was supplied. */
enum Figure {
    FOREGROUND("foreground", "subject %", false, TaskRow::foreground),
    UNCERTAIN("uncertain", "soft edge %", false, TaskRow::uncertain),
    COMPONENTS("components", "pieces", false, row -> row.components() == null ? null : row.components().doubleValue()),
    LARGEST_SHARE("largest_share", "largest piece %", false, TaskRow::largestShare),
    CONFIDENCE("confidence", "confidence", false, TaskRow::confidence),
    SAD("sad", "SAD", true, TaskRow::sad),
    MSE("mse", "MSE", true, TaskRow::mse),
    GRAD("grad", "gradient", true, TaskRow::grad),
    CONN("conn", "connectivity", true, TaskRow::conn),
    IOU("iou", "IoU", true, TaskRow::iou);

    /** Fractions of the image (0..1), shown to people as percentages. */
    boolean isShare() {
        return this == FOREGROUND || this == UNCERTAIN || this == LARGEST_SHARE;
    }

    final String key;
    final String label;
    final boolean groundTruth;
    private final Function<TaskRow, Double> value;

    Figure(String key, String label, boolean groundTruth, Function<TaskRow, Double> value) {
        this.key = key;
        this.label = label;
        this.groundTruth = groundTruth;
        this.value = value;
    }

    Double of(TaskRow row) {
        return value.apply(row);
    }
}
