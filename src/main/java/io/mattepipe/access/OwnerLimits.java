package io.mattepipe.access;

import io.mattepipe.state.JobState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What one owner may take of a shared service, checked before an upload's body is read: jobs
 * running at once, uploads per minute (counted per node) and bytes kept on disk. Admins are not
 * limited: they run the service.
 */
public final class OwnerLimits {

    /** A limit the upload would pass: answered with its status, the limit in words and Retry-After. */
    public static final class LimitExceeded extends Exception {
        private final int status;
        private final long retryAfterSeconds;

        LimitExceeded(int status, String message, long retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** {@code limits.*}: 0 switches a limit off. */
    public record Settings(int jobsAtOnce, int uploadsPerMinute, long bytesKept) {
    }

    private static final String UNFINISHED = Arrays.stream(JobState.values()).filter(state -> !state.isFinished())
            .map(state -> "'" + state.sqlName() + "'").collect(Collectors.joining(", "));

    private final DataSource database;
    private final Settings settings;
    private final Map<String, Deque<Long>> uploads = new ConcurrentHashMap<>();

    public OwnerLimits(DataSource database, Settings settings) {
        this.database = database;
        this.settings = settings;
    }

    /** Refuses an upload of {@code declaredBytes} (-1 when unknown) by {@code caller} that would pass a limit. */
    public void admitUpload(Caller caller, long declaredBytes) throws LimitExceeded, SQLException {
        if (caller.admin()) {
            return;
        }
        if (settings.jobsAtOnce() > 0) {
            long running = count("SELECT COUNT(*) FROM jobs WHERE owner = ? AND state IN (" + UNFINISHED + ")", caller.name());
            if (running >= settings.jobsAtOnce()) {
                throw new LimitExceeded(429, caller.name() + " has " + running + " jobs running, the most at once"
                        + " (limits.jobs-at-once=" + settings.jobsAtOnce() + "); try again when one has finished", 30);
            }
        }
        if (settings.bytesKept() > 0) {
            long kept = count("SELECT COALESCE(SUM(bytes), 0) FROM jobs WHERE owner = ?", caller.name());
            if (kept + Math.max(0, declaredBytes) > settings.bytesKept()) {
                throw new LimitExceeded(507, caller.name() + " keeps " + kept + " bytes of uploads"
                        + (declaredBytes > 0 ? " and this one has " + declaredBytes : "") + ", over limits.bytes-kept="
                        + settings.bytesKept() + "; delete finished jobs to make room", 3600);
            }
        }
        if (settings.uploadsPerMinute() > 0) {
            long wait = takeUpload(caller.name());
            if (wait > 0) {
                throw new LimitExceeded(429, caller.name() + " sent " + settings.uploadsPerMinute()
                        + " uploads in the last minute (limits.uploads-per-minute=" + settings.uploadsPerMinute()
                        + "); try again in " + wait + " s", wait);
            }
        }
    }

    /** Counts an upload of {@code owner}, or says in how many seconds the next one may come. */
    private long takeUpload(String owner) {
        long now = System.nanoTime();
        long minute = Duration.ofMinutes(1).toNanos();
        long[] wait = {0};
        uploads.compute(owner, (name, kept) -> {
            Deque<Long> times = kept == null ? new ArrayDeque<>() : kept;
            while (!times.isEmpty() && now - times.peekFirst() >= minute) {
                times.pollFirst();
            }
            if (times.size() >= settings.uploadsPerMinute()) {
                wait[0] = Math.max(1, Duration.ofNanos(minute - (now - times.peekFirst())).toSeconds() + 1);
            } else {
                times.addLast(now);
            }
            return times;
        });
        return wait[0];
    }

    private long count(String sql, String owner) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, owner);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
