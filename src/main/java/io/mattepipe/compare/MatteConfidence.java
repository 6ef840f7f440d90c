package io.mattepipe.compare;

import io.mattepipe.image.AlphaMatte;

import java.util.ArrayList;
import java.util.List;

/**
 * How likely a predicted matte is right, from 0 to 1, without ground truth: a product of one factor
 * per cheap signal, each 1 where the signal shows no doubt, falling linearly to 0 at the value where
 * the matte was wrong on the shared ground-truth pairs (docs/confidence.md has the calibration):
 * <ul>
 *   <li>{@value #DISAGREEMENT}: the ensemble's models disagree, the lowest IoU of any two of their
 *       mattes at α ≥ 0.5 (absent for one model);</li>
 *   <li>{@value #UNDECIDED}: much of the matte is neither in nor out (the uncertain share of
 *       {@link MaskStatistics}); real soft edges are thin bands;</li>
 *   <li>{@value #FRAME}: the subject covers most of the frame's edge, as when the background is kept;</li>
 *   <li>{@value #PIECES}: the largest blob is a small part of the subject;</li>
 *   <li>{@value #NOTHING}: almost nothing is foreground.</li>
 * </ul>
 * A product, not a mean: one sure sign of failure is enough, whatever the others say.
 */
public final class MatteConfidence {

    /** The codes of the doubts a confidence gives, stored comma-separated; the page words them per language. */
    public static final String DISAGREEMENT = "models_disagree";
    public static final String UNDECIDED = "undecided";
    public static final String FRAME = "touches_frame";
    public static final String PIECES = "in_pieces";
    public static final String NOTHING = "nothing_kept";

    static final Ramp AGREEMENT = new Ramp(0.3, 0.9);
    static final Ramp UNCERTAIN = new Ramp(0.30, 0.05);
    static final Ramp FRAME_COVERAGE = new Ramp(0.9, 0.5);
    static final Ramp LARGEST_SHARE = new Ramp(0.3, 0.8);
    static final Ramp FOREGROUND = new Ramp(0.002, 0.01);

    /** A factor under this is named as a doubt. */
    private static final double DOUBT_BELOW = 0.75;

    private MatteConfidence() {
    }

    /**
     * @param score      0..1, higher: more likely right
     * @param agreement  the lowest pairwise IoU of the members' mattes at α ≥ 0.5; null for one model
     * @param doubts     the codes of the signals that lowered the score most, in a fixed order; empty when none
     */
    public record Confidence(double score, Double agreement, List<String> doubts) {

        public Confidence {
            doubts = List.copyOf(doubts);
        }

        /** The doubts as stored: comma-separated codes, null when there are none. */
        public String doubtsText() {
            return doubts.isEmpty() ? null : String.join(",", doubts);
        }
    }

    /** A linear ramp from 0 at {@code bad} to 1 at {@code good}, clamped; either end may be the higher one. */
    record Ramp(double bad, double good) {
        double factor(double value) {
            double t = (value - bad) / (good - bad);
            return Math.max(0, Math.min(1, t));
        }
    }

    /**
     * @param matte   the matte the task keeps (the ensemble's)
     * @param members each model's own matte, the same size; one element for a single model
     * @param mask    {@link MaskStatistics#of} the matte
     */
    public static Confidence of(AlphaMatte matte, List<AlphaMatte> members, MaskFigures mask) {
        Double agreement = members.size() < 2 ? null : lowestPairwiseIou(members);
        List<String> doubts = new ArrayList<>();
        double score = 1;
        if (agreement != null) {
            score *= weigh(AGREEMENT.factor(agreement), DISAGREEMENT, doubts);
        }
        score *= weigh(UNCERTAIN.factor(mask.uncertainFraction()), UNDECIDED, doubts);
        score *= weigh(FRAME_COVERAGE.factor(frameCoverage(matte)), FRAME, doubts);
        if (mask.largestComponentShare() > 0) {
            score *= weigh(LARGEST_SHARE.factor(mask.largestComponentShare()), PIECES, doubts);
        }
        score *= weigh(FOREGROUND.factor(mask.foregroundFraction()), NOTHING, doubts);
        return new Confidence(score, agreement, doubts);
    }

    /**
     * The confidence of one model's matte alone, without the agreement of others: what a cascade
     * (model/Cascade) decides on before it runs the large model.
     */
    public static double ofOne(AlphaMatte matte) {
        return of(matte, List.of(matte), MaskStatistics.of(matte)).score();
    }

    private static double weigh(double factor, String doubt, List<String> doubts) {
        if (factor < DOUBT_BELOW) {
            doubts.add(doubt);
        }
        return factor;
    }

    /** The lowest IoU at α ≥ 0.5 of any two of the mattes. */
    static double lowestPairwiseIou(List<AlphaMatte> mattes) {
        double lowest = 1;
        for (int i = 0; i < mattes.size(); i++) {
            for (int j = i + 1; j < mattes.size(); j++) {
                lowest = Math.min(lowest, MattingMetrics.iou(mattes.get(i), mattes.get(j)));
            }
        }
        return lowest;
    }

    /** The share of the frame's outermost pixels (all four edges) at α ≥ 0.5. */
    static double frameCoverage(AlphaMatte matte) {
        int w = matte.width();
        int h = matte.height();
        int covered = 0;
        int edge = 0;
        for (int x = 0; x < w; x++) {
            covered += inside(matte, x, 0) + (h > 1 ? inside(matte, x, h - 1) : 0);
            edge += h > 1 ? 2 : 1;
        }
        for (int y = 1; y < h - 1; y++) {
            covered += inside(matte, 0, y) + (w > 1 ? inside(matte, w - 1, y) : 0);
            edge += w > 1 ? 2 : 1;
        }
        return (double) covered / edge;
    }

    private static int inside(AlphaMatte matte, int x, int y) {
        return matte.at(x, y) >= MattingMetrics.FOREGROUND_MIN ? 1 : 0;
    }
}
