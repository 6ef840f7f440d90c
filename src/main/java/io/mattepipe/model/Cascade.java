package io.mattepipe.model;

import io.mattepipe.image.AlphaMatte;

import java.util.function.ToDoubleFunction;

/**
 * When an ensemble runs its later, slower models: only where the confidence of the first model's
 * own matte is under {@code threshold} ({@code matting.cascade-threshold}). The large model is
 * spent on the images the fast one is unsure of; the others keep the fast model's matte.
 *
 * @param confidence the confidence of one model's matte, 0..1 (compare/MatteConfidence without agreement)
 */
public record Cascade(double threshold, ToDoubleFunction<AlphaMatte> confidence) {

    public Cascade {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("a cascade threshold is from 0 to 1: " + threshold);
        }
    }

    /** Whether the first model's matte is unsure enough to run the rest of the ensemble. */
    public boolean runsTheRest(AlphaMatte first) {
        return confidence.applyAsDouble(first) < threshold;
    }
}
