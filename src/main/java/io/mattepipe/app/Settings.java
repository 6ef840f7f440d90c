package io.mattepipe.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

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
        return Integer.parseInt(get(key));
    }

    public long getLong(String key) {
        return Long.parseLong(get(key));
    }

    /** {@code matting.max-pixels} → {@code MATTING_MAX_PIXELS}. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
