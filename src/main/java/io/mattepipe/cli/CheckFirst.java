package io.mattepipe.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The cutouts a command names as worth checking first: those under {@code review.threshold}, the
 * lowest confidence first. Only the {@code shown} lowest are kept, so a job of any size passes
 * through in bounded memory; the rest are counted.
 */
final class CheckFirst {

    private record Doubtful(String name, double confidence, String doubts) {
    }

    private static final Comparator<Doubtful> WORST_FIRST = Comparator.comparingDouble(Doubtful::confidence);

    private final double threshold;
    private final int shown;
    private final PriorityQueue<Doubtful> lowest;
    private long count;

    CheckFirst(double threshold, int shown) {
        this.threshold = threshold;
        this.shown = shown;
        // reversed: the head is the best one kept, the one a worse newcomer evicts
        this.lowest = new PriorityQueue<>(WORST_FIRST.reversed());
    }

    /** One completed task's row; those without a confidence (made before it existed) are left out. */
    void offer(Map<String, Object> task) {
        if (!(task.get("confidence") instanceof Number confidence) || confidence.doubleValue() >= threshold) {
            return;
        }
        count++;
        Object doubts = task.get("doubts");
        lowest.add(new Doubtful(String.valueOf(task.get("name")), confidence.doubleValue(), doubts == null ? "" : doubts.toString()));
        if (lowest.size() > shown) {
            lowest.poll();
        }
    }

    long count() {
        return count;
    }

    void print(PrintStream out) {
        if (count == 0) {
            return;
        }
        List<Doubtful> worst = new ArrayList<>(lowest);
        worst.sort(WORST_FIRST);
        out.printf(Locale.ROOT, "check first: %d cutouts with confidence under %.2f (lowest first; all in report.csv)%n", count, threshold);
        for (Doubtful doubtful : worst) {
            out.printf(Locale.ROOT, "  %.3f  %s  %s%n", doubtful.confidence(), doubtful.name(), doubtful.doubts());
        }
        if (count > worst.size()) {
            out.printf(Locale.ROOT, "  ... and %d more%n", count - worst.size());
        }
    }
}
