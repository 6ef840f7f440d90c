package io.mattepipe.app;

import io.mattepipe.state.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/**
 * This node's side of the recovery sweep's lease ({@code sweep-lease.sql}): who it is, how long a
 * renewal holds, and whether it holds the lease now. Only the holder sweeps, so two gateways never
 * re-send the same stalled tasks at once; when the holder stops renewing, another gateway's next
 * sweep takes the lease over once it has expired.
 */
public final class SweepLease {

    private static final Logger LOG = LoggerFactory.getLogger(SweepLease.class);

    private final Clock clock;
    private final Duration lease;
    private final String holder;
    private boolean held;

    /**
     * @param process host:pid; a random part is added, so that a restarted gateway with the same
     *                host name and pid (a container's pid 1) is not taken for its dead predecessor
     */
    public SweepLease(Clock clock, Duration lease, String process) {
        this.clock = clock;
        this.lease = lease;
        this.holder = process + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Who this node is in {@code sweep_lease.holder}. */
    public String holder() {
        return holder;
    }

    /** When a lease taken or renewed now runs out. */
    public String until() {
        return clock.after(lease);
    }

    /**
     * Records the outcome of {@code sweep-lease.sql} and says whether this node sweeps now; a change
     * of hands is logged, so the log shows which gateway swept when.
     *
     * @param updatedRows its update count: 1 when this node took or renewed the lease
     */
    public synchronized boolean held(int updatedRows) {
        boolean now = updatedRows == 1;
        if (now != held) {
            LOG.info(now ? "{} holds the recovery sweep's lease (for {} ms at a time)" : "{} lost the recovery sweep's lease (another gateway took it; {} ms without renewal)",
                    holder, lease.toMillis());
        }
        held = now;
        return now;
    }
}
