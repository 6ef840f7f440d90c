package io.mattepipe.results;

import java.util.function.Function;

/** The per-task quality figures, in report order; the ground-truth ones exist only where a true matte was supplied. */
enum Figure {
    FOREGROUND("foreground", "foreground", false, TaskRow::foreground),
    UNCERTAIN("uncertain", "uncertain", false, TaskRow::uncertain),
    COMPONENTS("components", "components", false, row -> row.components() == null ? null : row.components().doubleValue()),
    LARGEST_SHARE("largest_share", "largest share", false, TaskRow::largestShare),
    SAD("sad", "SAD", true, TaskRow::sad),
    MSE("mse", "MSE", true, TaskRow::mse),
    GRAD("grad", "grad", true, TaskRow::grad),
    CONN("conn", "conn", true, TaskRow::conn),
    IOU("iou", "IoU", true, TaskRow::iou);

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
