package io.mattepipe.compare;

/**
 * The standard matting errors of one prediction against its ground truth, over the whole image;
 * see {@link MattingMetrics} for the definition of each. Lower is better for all but {@code iou}.
 *
 * @param sad  sum of absolute differences, ÷ 1000
 * @param mse  mean squared error
 * @param grad gradient error, ÷ 1000
 * @param conn connectivity error, ÷ 1000
 * @param iou  intersection over union of the masks at α ≥ 0.5 (1 is perfect)
 */
public record GroundTruthFigures(double sad, double mse, double grad, double conn, double iou) {
}
