package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.Main;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Requests with credentials against a {@link RunningApp}, and the {@code keys} command run in the test's JVM. */
final class AccessTestClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final RunningApp app;
    private final String forwardedFor;

    AccessTestClient(RunningApp app) {
        this(app, null);
    }

    /** Requests of another client, forwarded by the loopback address as a trusted proxy ({@code http.trusted-proxies}). */
    AccessTestClient(RunningApp app, String forwardedFor) {
        this.app = app;
        this.forwardedFor = forwardedFor;
    }

    /** Runs {@code keys ARGS --data-dir DIR}; its output's last line (the key, for {@code create}). */
    static String keys(Path dataDir, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        String[] all = new String[args.length + 3];
        all[0] = "keys";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = dataDir.toString();
        assertEquals(0, cli.execute(all), "keys " + String.join(" ", args) + ": " + out);
        List<String> lines = out.toString().lines().toList();
        return lines.get(lines.size() - 1).trim();
    }

    /** {@code method path} with the headers given as name, value, name, value... */
    HttpResponse<String> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return app.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        return send("GET", path, "Authorization", "Bearer " + key);
    }

    /** Uploads one small PNG as {@code key}'s job; the answer as it came. */
    HttpResponse<String> upload(String key, String name) throws IOException, InterruptedException {
        return app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=" + name)).header("X-Api-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestArchives.image("png", 24, 16))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The job of an accepted upload, once it has finished. */
    String finishedJob(HttpResponse<String> accepted, String key) throws Exception {
        assertEquals(202, accepted.statusCode(), accepted.body());
        String job = JSON.readTree(accepted.body()).get("job_id").asText();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = JSON.readTree(get("/status/" + job, key).body());
            if (status.get("state").asText().startsWith("completed")) {
                return job;
            }
            Thread.sleep(100);
        }
        fail("job " + job + " did not finish");
        return null;
    }

    /** Waits until {@code path} answers {@code status} with {@code key} (a key's creation or revocation takes a moment). */
    void awaitStatus(String path, String key, int status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = get(path, key).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(100);
        }
        assertTrue(false, path + " answered " + last + ", not " + status);
    }
}
