package io.mattepipe.compare;

import io.mattepipe.image.AlphaMatte;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures that flag a bad matte without ground truth. A matting model fails in a few typical
 * ways, and each shows up in a simple statistic:
 * <ul>
 *   <li>it finds no subject: almost nothing is foreground ({@value #EMPTY});</li>
 *   <li>it keeps the background: almost everything is foreground ({@value #FULL});</li>
 *   <li>it breaks the subject apart or keeps background clutter: the foreground splits into many
 *       blobs, or the largest blob is not most of it ({@value #FRAGMENTED});</li>
 *   <li>it cannot decide: a large share of pixels is neither clearly in nor out ({@value #SOFT}).
 *       Real soft regions (hair, fur) are thin bands, a few percent of an image.</li>
 * </ul>
 * The flags point a reviewer at images worth a look; a product photo that is legitimately
 * full-frame will be flagged too.
 */
public final class MaskStatistics {

    public static final String EMPTY = "empty mask";
    public static final String FULL = "full mask";
    public static final String FRAGMENTED = "fragmented";
    public static final String SOFT = "soft";

    private static final double EMPTY_BELOW = 0.005;
    private static final double FULL_ABOVE = 0.98;
    private static final double LARGEST_SHARE_BELOW = 0.8;
    private static final int MAX_COMPONENTS = 5;
    private static final double SOFT_ABOVE = 0.25;

    /** Blobs under 0.1% of the image are specks of noise, not parts of the subject. */
    private static final double MIN_BLOB_SHARE = 0.001;

    /** 0.05 < v/255 < 0.95 holds for byte values 13..242. */
    private static final int UNCERTAIN_MIN = 13;
    private static final int UNCERTAIN_MAX = 242;

    private MaskStatistics() {
    }

    public static MaskFigures of(AlphaMatte matte) {
        byte[] values = matte.values();
        int n = values.length;
        long alphaSum = 0;
        int uncertain = 0;
        for (byte b : values) {
            int v = b & 0xFF;
            alphaSum += v;
            if (v >= UNCERTAIN_MIN && v <= UNCERTAIN_MAX) {
                uncertain++;
            }
        }
        ComponentLabels labels = new ComponentLabels(matte.width(), matte.height());
        labels.label(values, MattingMetrics.FOREGROUND_MIN, true);
        int foregroundArea = 0;
        int largest = 0;
        int components = 0;
        for (int k = 0; k < labels.componentCount(); k++) {
            int size = labels.size(labels.root(k));
            foregroundArea += size;
            largest = Math.max(largest, size);
            if (size >= MIN_BLOB_SHARE * n) {
                components++;
            }
        }
        double foregroundFraction = alphaSum / 255.0 / n;
        double uncertainFraction = (double) uncertain / n;
        double largestShare = foregroundArea == 0 ? 0 : (double) largest / foregroundArea;

        List<String> warnings = new ArrayList<>();
        if (foregroundFraction < EMPTY_BELOW) {
            warnings.add(EMPTY);
        }
        if (foregroundFraction > FULL_ABOVE) {
            warnings.add(FULL);
        }
        // Without foreground there is nothing to be fragmented; "empty mask" already says it.
        if (foregroundArea > 0 && (largestShare < LARGEST_SHARE_BELOW || components > MAX_COMPONENTS)) {
            warnings.add(FRAGMENTED);
        }
        if (uncertainFraction > SOFT_ABOVE) {
            warnings.add(SOFT);
        }
        return new MaskFigures(foregroundFraction, uncertainFraction, components, largestShare, warnings);
    }
}
