package io.mattepipe.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignInThrottleTest {

    @Test
    void aClientIsHeldOnlyAfterItsOwnFailuresFillTheWindow() {
        SignInThrottle throttle = new SignInThrottle(3, Duration.ofMinutes(1));
        throttle.failed("a");
        throttle.failed("a");
        assertEquals(Duration.ZERO, throttle.waitFor("a"), "two failures of three allowed");
        throttle.failed("a");
        Duration wait = throttle.waitFor("a");
        assertTrue(wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(Duration.ofMinutes(1)) <= 0, wait.toString());
        assertEquals(Duration.ZERO, throttle.waitFor("b"), "another client is not held");
    }

    @Test
    void failuresLeaveTheWindow() throws Exception {
        SignInThrottle throttle = new SignInThrottle(1, Duration.ofMillis(1));
        throttle.failed("a");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!throttle.waitFor("a").isZero() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(Duration.ZERO, throttle.waitFor("a"));
    }
}
