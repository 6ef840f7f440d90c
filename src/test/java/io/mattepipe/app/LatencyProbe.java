package io.mattepipe.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls a few cheap endpoints over and over, on a thread of its own, while a test loads the
 * service, and records how long each call took. A call that gets no answer within the timeout is
 * recorded as unanswered. Figures are printed for BENCHMARKS.md; the tests assert only that every
 * call was answered, never how fast.
 */
final class LatencyProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<URI> targets;
    private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    LatencyProbe(List<URI> targets) {
        this.targets = targets;
        this.thread = new Thread(this::run, "latency-probe");
        thread.start();
    }

    private void run() {
        while (running.get()) {
            for (URI target : targets) {
                long start = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failures.add(target + ": HTTP " + response.statusCode());
                    }
                } catch (Exception e) {
                    failures.add(target + ": " + e);
                }
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Calls made, and what went wrong with any of them. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    int calls() {
        return millis.size();
    }

    /** "n=40 median=3 ms p95=12 ms max=30 ms", for the test output and BENCHMARKS.md. */
    String summary() {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "n=0";
        }
        return "n=" + sorted.size() + " median=" + sorted.get(sorted.size() / 2) + " ms p95="
                + sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.95))) + " ms max="
                + sorted.get(sorted.size() - 1) + " ms";
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(TIMEOUT.toMillis() * targets.size() + 1000);
    }
}
