package io.mattepipe.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a confidence ranks mattes against the truth: a matte counts as bad when its IoU against
 * the ground truth is under {@code badBelow}. The ROC AUC is the chance that a bad matte has a
 * lower confidence than a good one (ties count half); at a threshold, {@code flagged} mattes are
 * under it and {@code caught} of those are bad.
 */
public final class ConfidenceRanking {

    private final double badBelow;
    private final List<double[]> scored = new ArrayList<>();

    /** @param badBelow an IoU under this makes a matte bad (0.8 in {@code evaluate}) */
    public ConfidenceRanking(double badBelow) {
        this.badBelow = badBelow;
    }

    /** One matte: its confidence and its IoU against the ground truth. */
    public void add(double confidence, double iou) {
        scored.add(new double[] {confidence, iou});
    }

    public double badBelow() {
        return badBelow;
    }

    public int count() {
        return scored.size();
    }

    public int bad() {
        int bad = 0;
        for (double[] s : scored) {
            bad += isBad(s) ? 1 : 0;
        }
        return bad;
    }

    /** The area under the ROC curve of "low confidence means bad"; null without both bad and good mattes. */
    public Double auc() {
        double pairs = 0;
        double wins = 0;
        for (double[] bad : scored) {
            if (!isBad(bad)) {
                continue;
            }
            for (double[] good : scored) {
                if (isBad(good)) {
                    continue;
                }
                pairs++;
                wins += bad[0] < good[0] ? 1 : bad[0] == good[0] ? 0.5 : 0;
            }
        }
        return pairs == 0 ? null : wins / pairs;
    }

    /** What a review queue with this threshold would hold: the mattes under it, and how many of them are bad. */
    public record Cut(double threshold, int flagged, int caught, int bad) {
    }

    public Cut at(double threshold) {
        int flagged = 0;
        int caught = 0;
        for (double[] s : scored) {
            if (s[0] < threshold) {
                flagged++;
                caught += isBad(s) ? 1 : 0;
            }
        }
        return new Cut(threshold, flagged, caught, bad());
    }

    private boolean isBad(double[] s) {
        return s[1] < badBelow;
    }
}
