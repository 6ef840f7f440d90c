package io.mattepipe.cli;

import io.mattepipe.model.StageTimer;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bench's stage timer: per stage, a uniform sample of at most {@value #SIZE} durations
 * (reservoir sampling), so medians stay exact enough and memory stays flat over a 100,000-task run.
 */
final class StageSamples implements StageTimer {

    private static final int SIZE = 10_000;

    private final Map<String, Reservoir> stages = new ConcurrentHashMap<>();

    @Override
    public void record(String stage, long nanos) {
        stages.computeIfAbsent(stage, s -> new Reservoir()).add(nanos);
    }

    void clear() {
        stages.clear();
    }

    /** Median milliseconds per stage, stages in name order. */
    Map<String, Double> medianMillis() {
        Map<String, Double> medians = new TreeMap<>();
        stages.forEach((stage, reservoir) -> medians.put(stage, Math.round(reservoir.median() / 1e4) / 100.0));
        return medians;
    }

    private static final class Reservoir {
        private final long[] samples = new long[SIZE];
        private final SplittableRandom random = new SplittableRandom(1);
        private long seen;

        synchronized void add(long value) {
            if (seen < SIZE) {
                samples[(int) seen] = value;
            } else {
                long slot = random.nextLong(seen + 1);
                if (slot < SIZE) {
                    samples[(int) slot] = value;
                }
            }
            seen++;
        }

        synchronized double median() {
            long[] sorted = Arrays.copyOf(samples, (int) Math.min(seen, SIZE));
            Arrays.sort(sorted);
            int n = sorted.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        }
    }
}
