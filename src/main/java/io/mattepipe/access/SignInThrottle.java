package io.mattepipe.access;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows key guessing down: a client address with {@code maxFailures} failed credentials within
 * {@code window} is refused (429) until the oldest of them leaves the window, whatever it sends,
 * so that even a right guess made in that time is not confirmed.
 */
public final class SignInThrottle {

    private final int maxFailures;
    private final Duration window;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** How long {@code client} must wait before its next try; zero when it may try now. */
    public Duration waitFor(String client) {
        long now = System.nanoTime();
        long[] waitNanos = {0};
        failures.computeIfPresent(client, (c, kept) -> {
            while (!kept.isEmpty() && now - kept.peekFirst() >= window.toNanos()) {
                kept.pollFirst();
            }
            if (kept.size() >= maxFailures) {
                waitNanos[0] = Math.max(0, window.toNanos() - (now - kept.peekFirst()));
            }
            return kept.isEmpty() ? null : kept;
        });
        return Duration.ofNanos(waitNanos[0]);
    }

    public void failed(String client) {
        long now = System.nanoTime();
        failures.compute(client, (c, kept) -> {
            Deque<Long> times = kept == null ? new ArrayDeque<>() : kept;
            times.addLast(now);
            if (times.size() > maxFailures) {
                times.pollFirst();
            }
            return times;
        });
    }
}
