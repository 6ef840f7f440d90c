package io.mattepipe.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The application's configuration as plain Java reads it: {@code application.properties} from the
 * jar, overridden by environment variables and then by system properties, the same precedence
 * Camel's property placeholders follow, so commands that run without a CamelContext agree with
 * the routes.
 */
public final class Settings {

    private final Properties defaults = new Properties();

    private Settings() {
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the classpath");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Settings load() {
        return new Settings();
    }

    /** The value of {@code key}, or an exception naming the key when it is set nowhere. */
    public String get(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(environmentName(key));
        }
        if (value == null) {
            value = defaults.getProperty(key);
        }
        if (value == null) {
            throw new IllegalArgumentException("missing setting " + key);
        }
        return value.trim();
    }

    public int getInt(String key) {
        return (int) checkedLong(key, get(key));
    }

    public long getLong(String key) {
        return checkedLong(key, get(key));
    }

    /**
     * What each numeric setting allows, {min, max}: a value outside stops start-up with a line that
     * names the setting, its value and this range, not a bare "/ by zero" or "For input string".
     */
    private static final Map<String, long[]> RANGES = Map.ofEntries(
            Map.entry("matting.workers", new long[] {1, 256}),
            Map.entry("refine.radius", new long[] {1, 256}),
            Map.entry("matting.threads", new long[] {0, 1024}),
            Map.entry("matting.runs", new long[] {1, 256}),
            Map.entry("matting.batch-size", new long[] {1, 256}),
            Map.entry("matting.batch-wait-ms", new long[] {0, 60_000}),
            Map.entry("matting.queue-size", new long[] {1, 1_000_000}),
            Map.entry("compare.workers", new long[] {1, 256}),
            Map.entry("compare.queue-size", new long[] {1, 1_000_000}),
            Map.entry("compare.panel-width", new long[] {64, 20_000}),
            Map.entry("retry.max-attempts", new long[] {1, 100}),
            Map.entry("retry.delay-ms", new long[] {0, 3_600_000}),
            Map.entry("callback.max-attempts", new long[] {1, 100}),
            Map.entry("callback.backoff-ms", new long[] {1, 86_400_000}),
            Map.entry("callback.max-backoff-ms", new long[] {1, 604_800_000}),
            Map.entry("callback.timeout-ms", new long[] {100, 600_000}),
            Map.entry("callback.poll-ms", new long[] {10, 3_600_000}),
            Map.entry("inbox.poll-ms", new long[] {10, 3_600_000}),
            Map.entry("inbox.min-age-ms", new long[] {0, 86_400_000}),
            Map.entry("upload.max-bytes", new long[] {1, Long.MAX_VALUE}),
            Map.entry("upload.max-concurrent", new long[] {1, 100_000}),
            Map.entry("upload.max-per-client", new long[] {1, 100_000}),
            Map.entry("upload.idle-timeout-ms", new long[] {100, 86_400_000}),
            Map.entry("image.memory-budget-pixels", new long[] {0, Long.MAX_VALUE}),
            Map.entry("task.lease-ms", new long[] {100, 604_800_000}),
            Map.entry("recovery.sweep-ms", new long[] {100, 86_400_000}),
            Map.entry("recovery.lease-ms", new long[] {200, 604_800_000}),
            Map.entry("image.max-pixels", new long[] {1, Long.MAX_VALUE}),
            Map.entry("output.png-compression", new long[] {0, 9}),
            Map.entry("db.pool-size", new long[] {1, 64}),
            Map.entry("db.page-size", new long[] {1, 100_000}),
            Map.entry("db.outage-retry-ms", new long[] {10, 3_600_000}),
            Map.entry("camel.server.port", new long[] {0, 65_535}),
            Map.entry("camel.main.shutdown-timeout", new long[] {1, 3_600}),
            Map.entry("auth.session-hours", new long[] {1, 8_760}),
            Map.entry("auth.max-failures", new long[] {1, 1_000_000}),
            Map.entry("auth.failure-window-ms", new long[] {1_000, 86_400_000}),
            Map.entry("limits.jobs-at-once", new long[] {0, 1_000_000}),
            Map.entry("limits.uploads-per-minute", new long[] {0, 1_000_000}),
            Map.entry("limits.bytes-kept", new long[] {0, Long.MAX_VALUE}));

    /** Decimal settings, {min, max}. */
    private static final Map<String, double[]> DECIMAL_RANGES = Map.of(
            "output.jpeg-quality", new double[] {0, 1},
            "retry.backoff-multiplier", new double[] {1, 100},
            "review.threshold", new double[] {0, 1},
            "refine.epsilon", new double[] {1e-9, 1});

    /** Every setting with a range, for start-up to check at once. */
    static Set<String> checkedKeys() {
        Set<String> keys = new TreeSet<>(RANGES.keySet());
        keys.addAll(DECIMAL_RANGES.keySet());
        keys.add("matting.normalize");
        keys.add("matting.spinning");
        keys.add("matting.cascade-threshold");
        return keys;
    }

    /** {@code value} of {@code key} as a number within the key's range, or a StartupException that says so. */
    static long checkedLong(String key, String value) {
        long[] range = RANGES.getOrDefault(key, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
        long number;
        try {
            number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw outOfRange(key, value, range[0], range[1]);
        }
        if (number < range[0] || number > range[1]) {
            throw outOfRange(key, value, range[0], range[1]);
        }
        return number;
    }

    /**
     * Checks any setting start-up reads: numbers within their range, {@code matting.normalize} true,
     * false or blank, {@code matting.cascade-threshold} blank (no cascade) or from 0 to 1.
     */
    static void check(String key, String value) {
        if (key.equals("matting.cascade-threshold")) {
            if (!value.isBlank()) {
                checkDecimal(key, value, 0, 1);
            }
        } else if (DECIMAL_RANGES.containsKey(key)) {
            double[] range = DECIMAL_RANGES.get(key);
            checkDecimal(key, value, range[0], range[1]);
        } else if (key.equals("matting.normalize")) {
            if (!value.isBlank() && !value.trim().equals("true") && !value.trim().equals("false")) {
                throw new StartupException("setting " + key + "=" + value + " is not allowed: true or false, or blank for each model's own");
            }
        } else if (key.equals("matting.spinning")) {
            if (!value.trim().equals("true") && !value.trim().equals("false")) {
                throw new StartupException("setting " + key + "=" + value + " is not allowed: true or false");
            }
        } else {
            checkedLong(key, value);
        }
    }

    private static void checkDecimal(String key, String value, double min, double max) {
        double number;
        try {
            number = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!(number >= min && number <= max)) {
            throw new StartupException("setting " + key + "=" + value + " is not allowed: a number from " + min + " to " + max);
        }
    }

    private static StartupException outOfRange(String key, String value, long min, long max) {
        String allowed = max == Long.MAX_VALUE ? "a whole number from " + min + " up" : "a whole number from " + min + " to " + max;
        return new StartupException("setting " + key + "=" + value + " is not allowed: " + allowed);
    }

    /** {@code matting.max-pixels} → {@code MATTING_MAX_PIXELS}. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
