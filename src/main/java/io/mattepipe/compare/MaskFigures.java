package io.mattepipe.compare;

import java.util.List;

/**
 * Quality figures of a predicted matte that need no ground truth, so every image of a batch gets
 * them; {@link MaskStatistics#of} computes them and says what each means.
 *
 * @param foregroundFraction    mean α in [0, 1]: the share of the image the model kept
 * @param uncertainFraction     share of pixels with 0.05 &lt; α &lt; 0.95
 * @param components            number of 8-connected blobs at α ≥ 0.5, blobs under 0.1% of the
 *                              image not counted
 * @param largestComponentShare area of the largest blob ÷ all pixels at α ≥ 0.5; 0 when there are none
 * @param warnings              the failure flags raised, in a fixed order; empty when none
 */
public record MaskFigures(double foregroundFraction, double uncertainFraction, int components,
                          double largestComponentShare, List<String> warnings) {

    public MaskFigures {
        warnings = List.copyOf(warnings);
    }
}
