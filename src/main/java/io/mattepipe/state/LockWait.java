package io.mattepipe.state;

import org.sqlite.BusyHandler;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a SQLite connection waits while another connection of this process holds the write lock.
 * SQLite's own wait ({@code busy_timeout}) sleeps 1, 2, 5, 10 ms and longer between tries, while a
 * state change holds the lock for about a tenth of a millisecond: in the orchestration bench the
 * pipeline's threads slept that way about once per task (strace: clock_nanosleep from the SQLite
 * library), a split or a worker idle for ten times the write it waited for. This waits in steps
 * of tens of microseconds, growing to a millisecond, and gives up after the same timeout as before
 * ({@code SQLITE_BUSY}, "database is locked", which the routes treat as a failed attempt).
 */
final class LockWait extends BusyHandler {

    private static final long FIRST_STEP_NANOS = 20_000;
    private static final long LAST_STEP_NANOS = 1_000_000;

    private final long timeoutNanos;
    /** When the current wait of this thread began; SQLite counts the tries of one wait from 0. */
    private final ThreadLocal<long[]> since = ThreadLocal.withInitial(() -> new long[1]);

    private LockWait(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Replaces the connection's {@code busy_timeout} with this wait, up to {@code timeout}. */
    static Connection install(Connection connection, Duration timeout) throws SQLException {
        setHandler(connection, new LockWait(timeout));
        return connection;
    }

    /** @return 1 to try again, 0 to give up */
    @Override
    protected int callback(int tries) {
        long now = System.nanoTime();
        long[] start = since.get();
        if (tries == 0) {
            start[0] = now;
        } else if (now - start[0] > timeoutNanos) {
            return 0;
        }
        LockSupport.parkNanos(Math.min(LAST_STEP_NANOS, FIRST_STEP_NANOS << Math.min(tries, 6)));
        return 1;
    }
}
