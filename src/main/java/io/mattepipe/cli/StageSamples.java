package io.mattepipe.cli;

import io.mattepipe.model.StageTimer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Every duration of every stage, kept for medians: the bench's stage timer. */
final class StageSamples implements StageTimer {

    private final Map<String, List<Long>> samples = new ConcurrentHashMap<>();

    @Override
    public void record(String stage, long nanos) {
        samples.computeIfAbsent(stage, s -> Collections.synchronizedList(new ArrayList<>())).add(nanos);
    }

    void clear() {
        samples.clear();
    }

    /** Median milliseconds per stage, stages in name order. */
    Map<String, Double> medianMillis() {
        Map<String, Double> medians = new TreeMap<>();
        samples.forEach((stage, values) -> {
            List<Long> sorted;
            synchronized (values) {
                sorted = new ArrayList<>(values);
            }
            Collections.sort(sorted);
            medians.put(stage, Math.round(BenchCommand.median(sorted) / 1e4) / 100.0);
        });
        return medians;
    }
}
