package io.mattepipe.app;

import java.nio.file.Path;

/** API keys for tests outside this package, made by the {@code keys} command as an operator would. */
public final class KeysForTests {

    private KeysForTests() {
    }

    /** A new (non-admin) key named {@code name} in the database of {@code dataDir}. */
    public static String create(Path dataDir, String name) {
        return AccessTestClient.keys(dataDir, "create", name);
    }
}
