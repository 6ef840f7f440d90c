package io.mattepipe.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safe default that still runs out of the box: loopback only until a key or an issuer exists,
 * and on a wider address the first start makes an admin key and prints it once (Jupyter's way).
 */
class SafeDefaultTest {

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    @TempDir
    Path root;

    @Test
    void withNoKeyOnlyLoopbackClientsAreServedAsTheLocalAdmin() throws Exception {
        RunningApp app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false", "http.trusted-proxies", "127.0.0.1"));
        AccessTestClient local = new AccessTestClient(app);
        AccessTestClient remote = new AccessTestClient(app, "203.0.113.9");
        assertEquals(200, local.send("GET", "/jobs").statusCode(), "loopback needs nothing while no key exists");
        assertEquals("local", AccessTestClient.JSON.readTree(local.send("GET", "/auth/me").body()).get("name").asText());
        assertEquals(200, local.send("GET", "/metrics").statusCode());
        for (String path : List.of("/jobs", "/", "/metrics")) {
            assertEquals(401, remote.send("GET", path).statusCode(), "a client elsewhere is not served: " + path);
        }
        assertEquals(200, remote.send("GET", "/health").statusCode());

        String key = AccessTestClient.keys(app.dataDir, "create", "ops", "--admin");
        local.awaitStatus("/jobs", key, 200);
        assertEquals(401, local.send("GET", "/jobs").statusCode(), "once a key exists, loopback needs one too");
        assertEquals(200, remote.get("/jobs", key).statusCode(), "and any address may use it");
    }

    @Test
    void onEveryInterfaceTheFirstStartPrintsAnAdminKeyOnce() throws Exception {
        Path data = root.resolve("wide");
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RunningApp app;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            app = apps.start(data, Map.of("inbox.enabled", "false", "camel.server.host", "0.0.0.0"));
        } finally {
            System.setOut(console);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(line -> line.startsWith("mp_")).toList();
        assertEquals(1, lines.size(), output);
        String key = lines.get(0);
        assertTrue(output.contains("/#key=" + key), "a sign-in link: " + output);
        AccessTestClient client = new AccessTestClient(app);
        assertEquals(401, client.send("GET", "/jobs").statusCode(), "not even loopback without the key now");
        assertEquals(200, client.get("/metrics", key).statusCode(), "the printed key is an admin's");
        app.close();

        printed.reset();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            apps.start(data, Map.of("inbox.enabled", "false", "camel.server.host", "0.0.0.0"));
        } finally {
            System.setOut(console);
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).lines().noneMatch(line -> line.startsWith("mp_")),
                "a second start prints no key: " + printed);
        assertTrue(AccessTestClient.keys(data, "list").contains("admin"));
    }
}
