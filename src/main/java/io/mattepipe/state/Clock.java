package io.mattepipe.state;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The time stamps of state changes, as the statements bind them ({@code :#${bean:clock.now}}):
 * UTC ISO-8601 text with milliseconds, the same on SQLite and PostgreSQL, sortable as text. The
 * time comes from the host that writes, so the hosts of a cluster keep their clocks in step (NTP);
 * a skew below {@code task.lease-ms} is harmless.
 */
public final class Clock {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Duration lease;

    /** @param lease how long a claim holds a task before another worker may take it over */
    public Clock(Duration lease) {
        this.lease = lease;
    }

    public String now() {
        return FORMAT.format(Instant.now());
    }

    /** {@code duration} from now: when a lease taken now runs out. */
    public String after(Duration duration) {
        return FORMAT.format(Instant.now().plus(duration));
    }

    /** A claim taken before this time has expired: its worker died or hangs. */
    public String leaseExpiredBefore() {
        return FORMAT.format(Instant.now().minus(lease));
    }
}
