package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mattepipe.app.AccessTestClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adversarial cases of access control with API keys (docs/adversarial.md, "Access"): each
 * states what must happen and checks that nothing of another owner leaks, not even whether a job
 * exists. Requests from "other clients" come through the loopback address as a trusted proxy
 * that forwards their addresses.
 */
class AccessControlTest {

    private static final int MAX_FAILURES = 5;

    @TempDir
    static Path root;

    private static RunningApp app;
    private static AccessTestClient client;
    private static String alice;
    private static String bob;
    private static String admin;
    private static String alicesJob;

    @BeforeAll
    static void start() throws Exception {
        Path data = root.resolve("data");
        alice = AccessTestClient.keys(data, "create", "alice");
        bob = AccessTestClient.keys(data, "create", "bob");
        admin = AccessTestClient.keys(data, "create", "root", "--admin");
        Map<String, String> settings = new HashMap<>();
        settings.put("inbox.enabled", "false");
        settings.put("http.trusted-proxies", "127.0.0.1");
        settings.put("auth.max-failures", String.valueOf(MAX_FAILURES));
        settings.put("limits.uploads-per-minute", "2");
        app = RunningApp.start(data, settings);
        client = new AccessTestClient(app);
        alicesJob = client.finishedJob(client.upload(alice, "alice.png"), alice);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void withoutACredentialOnlyHealthAndThePageAnswer() throws Exception {
        for (String path : List.of("/jobs", "/status/" + alicesJob, "/download/" + alicesJob, "/jobs/" + alicesJob + "/tasks",
                "/metrics", "/audit", "/auth/me")) {
            HttpResponse<String> refused = client.send("GET", path);
            assertEquals(401, refused.statusCode(), path + ": " + refused.body());
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
            assertFalse(refused.body().contains(alicesJob), path + " leaks the job: " + refused.body());
        }
        assertEquals(401, client.send("DELETE", "/jobs/" + alicesJob).statusCode());
        assertEquals(401, client.send("POST", "/jobs/" + alicesJob + "/cancel").statusCode());
        assertEquals(200, client.send("GET", "/health").statusCode());
        assertEquals(200, client.send("GET", "/").statusCode(), "the page loads so that it can ask for a key");
        assertEquals(200, client.get("/status/" + alicesJob, alice).statusCode(), "the job is still there");
    }

    @Test
    void aWrongTruncatedOrRevokedKeyIsRefused() throws Exception {
        AccessTestClient client = new AccessTestClient(app, "198.51.100.20");
        assertEquals(401, client.get("/jobs", "mp_" + "x".repeat(43)).statusCode(), "a wrong key");
        assertEquals(401, client.get("/jobs", alice.substring(0, alice.length() - 1)).statusCode(), "a truncated key");
        assertEquals(401, client.send("GET", "/jobs", "X-Api-Key", alice + "A").statusCode(), "a key with more");
        assertEquals(401, client.get("/jobs", "").statusCode(), "an empty bearer");
        // from another address: the four failures above count against this one
        AccessTestClient operator = new AccessTestClient(app, "198.51.100.21");
        String carol = AccessTestClient.keys(app.dataDir, "create", "carol");
        operator.awaitStatus("/jobs", carol, 200);
        AccessTestClient.keys(app.dataDir, "revoke", "carol");
        operator.awaitStatus("/jobs", carol, 401);
        assertEquals(200, client.send("GET", "/jobs", "X-Api-Key", alice).statusCode(), "remove.bg's header works too");
    }

    @Test
    void anotherOwnersJobAnswersExactlyAsAnUnknownOneInEveryPath() throws Exception {
        String task = JSON.readTree(client.get("/jobs/" + alicesJob + "/tasks", alice).body()).get("tasks").get(0)
                .get("task_id").asText();
        String unknown = "00000000-0000-0000-0000-000000000000";
        List<String[]> probes = List.of(
                new String[] {"GET", "/status/%s"}, new String[] {"GET", "/jobs/%s/tasks"},
                new String[] {"GET", "/jobs/%s/tasks/" + task + "/cutout"}, new String[] {"GET", "/jobs/%s/tasks/" + task + "/original"},
                new String[] {"GET", "/jobs/%s/tasks/" + task + "/thumb"},
                new String[] {"GET", "/jobs/%s/tasks/" + task + "/render?background=white"},
                new String[] {"GET", "/jobs/%s/report"}, new String[] {"GET", "/jobs/%s/report?format=csv"},
                new String[] {"GET", "/jobs/%s/alice_compare.jpg"},
                new String[] {"GET", "/download/%s"}, new String[] {"GET", "/download/%s?tasks=" + task},
                new String[] {"GET", "/jobs/%s/tasks/" + task + "/matte"}, new String[] {"PUT", "/jobs/%s/tasks/" + task + "/matte"},
                new String[] {"POST", "/jobs/%s/tasks/" + task + "/matte/refine"},
                new String[] {"DELETE", "/jobs/%s/tasks/" + task + "/matte"},
                new String[] {"POST", "/jobs/%s/tasks/" + task + "/review?decision=reject"},
                new String[] {"POST", "/jobs/%s/retry"}, new String[] {"POST", "/jobs/%s/cancel"},
                new String[] {"DELETE", "/jobs/%s"});
        for (String[] probe : probes) {
            HttpResponse<String> others = client.send(probe[0], String.format(probe[1], alicesJob), "Authorization", "Bearer " + bob);
            HttpResponse<String> none = client.send(probe[0], String.format(probe[1], unknown), "Authorization", "Bearer " + bob);
            String what = probe[0] + " " + probe[1];
            assertEquals(404, others.statusCode(), what + ": " + others.body());
            assertEquals(none.statusCode(), others.statusCode(), what);
            assertEquals(none.body().replace(unknown, alicesJob), others.body(), what + ": the answer differs from an unknown job's");
            assertEquals(none.headers().map().keySet(), others.headers().map().keySet(), what);
        }
        assertFalse(client.get("/jobs", bob).body().contains(alicesJob), "bob's job list shows alice's job");
        JsonNode status = JSON.readTree(client.get("/status/" + alicesJob, alice).body());
        assertEquals("completed", status.get("state").asText(), "bob's cancel or delete changed alice's job");
        JsonNode all = JSON.readTree(client.get("/jobs", admin).body()).get("jobs");
        boolean shown = false;
        for (JsonNode job : all) {
            shown |= job.get("job_id").asText().equals(alicesJob) && job.get("owner").asText().equals("alice");
        }
        assertTrue(shown, "an admin sees every job with its owner: " + all);
        assertEquals(200, client.get("/download/" + alicesJob, admin).statusCode());
    }

    @Test
    void stateChangesFromAnotherSiteAreRefused() throws Exception {
        HttpResponse<String> post = client.send("POST", "/jobs/" + alicesJob + "/retry", "X-Api-Key", alice,
                "Origin", "https://evil.example");
        assertEquals(403, post.statusCode(), post.body());
        HttpResponse<String> delete = client.send("DELETE", "/jobs/" + alicesJob, "X-Api-Key", alice,
                "Sec-Fetch-Site", "cross-site");
        assertEquals(403, delete.statusCode(), delete.body());
        assertEquals(200, client.get("/status/" + alicesJob, alice).statusCode(), "the job is still there");
        HttpResponse<String> sameSite = client.send("POST", "/jobs/" + alicesJob + "/retry", "X-Api-Key", alice,
                "Origin", "http://localhost:" + app.port, "Sec-Fetch-Site", "same-origin");
        assertEquals(200, sameSite.statusCode(), "the page's own request: " + sameSite.body());
    }

    @Test
    void keyGuessingIsSlowedDownAndARightGuessIsNotConfirmed() throws Exception {
        String guesser = "198.51.100.7";
        int refused = 0;
        int throttled = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> answer = client.send("GET", "/jobs", "Authorization", "Bearer mp_guess" + i,
                    "X-Forwarded-For", guesser);
            if (answer.statusCode() == 401) {
                refused++;
            } else {
                assertEquals(429, answer.statusCode(), answer.body());
                assertTrue(answer.headers().firstValue("Retry-After").isPresent());
                throttled++;
            }
        }
        assertEquals(MAX_FAILURES, refused, "only auth.max-failures guesses are even checked");
        assertEquals(100 - MAX_FAILURES, throttled);
        HttpResponse<String> rightGuess = client.send("GET", "/jobs", "Authorization", "Bearer " + admin,
                "X-Forwarded-For", guesser);
        assertEquals(429, rightGuess.statusCode(), "a right key from the guessing address is not confirmed");
        assertEquals(200, client.send("GET", "/jobs", "Authorization", "Bearer " + admin,
                "X-Forwarded-For", "198.51.100.8").statusCode(), "another client is not held up");
        JsonNode failures = JSON.readTree(client.get("/audit?actor=-", admin).body());
        assertTrue(failures.toString().contains(guesser), "failed sign-ins are audited with the address");
    }

    @Test
    void anOwnerOverALimitIsRefusedWithTheLimitAndNothingChanges() throws Exception {
        int before = JSON.readTree(client.get("/jobs", bob).body()).get("jobs").size();
        client.finishedJob(client.upload(bob, "one.png"), bob);
        client.finishedJob(client.upload(bob, "two.png"), bob);
        HttpResponse<String> third = client.upload(bob, "three.png");
        assertEquals(429, third.statusCode(), third.body());
        assertTrue(third.body().contains("limits.uploads-per-minute=2"), third.body());
        assertTrue(Integer.parseInt(third.headers().firstValue("Retry-After").orElse("0")) > 0);
        assertEquals(before + 2, JSON.readTree(client.get("/jobs", bob).body()).get("jobs").size(), "the refused upload made a job");
        assertEquals(202, client.upload(admin, "admins-are-not-limited.png").statusCode());
    }

    @Test
    void metricsAndTheAuditTrailAreForAdmins() throws Exception {
        assertEquals(403, client.get("/metrics", alice).statusCode());
        assertEquals(403, client.get("/audit", alice).statusCode());
        assertEquals(200, client.get("/metrics", admin).statusCode());
        client.get("/download/" + alicesJob, alice);
        JsonNode events = JSON.readTree(client.get("/audit?job=" + alicesJob, admin).body()).get("events");
        List<String> actions = new java.util.ArrayList<>();
        events.forEach(event -> actions.add(event.get("actor").asText() + " " + event.get("action").asText()));
        assertTrue(actions.contains("alice upload"), actions.toString());
        assertTrue(actions.contains("alice download"), actions.toString());
        assertTrue(events.get(0).get("client").asText().startsWith("127.0.0.1"), events.toString());
    }

    @Test
    void thePageSignsInWithAKeyIntoAnHttpOnlySameSiteSession() throws Exception {
        HttpResponse<String> signedIn = client.send("POST", "/auth/session", "X-Api-Key", alice);
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly") && cookie.contains("SameSite=Lax"), cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));
        JsonNode me = JSON.readTree(client.send("GET", "/auth/me", "Cookie", session).body());
        assertEquals("alice", me.get("name").asText());
        assertEquals(200, client.send("GET", "/status/" + alicesJob, "Cookie", session).statusCode());
        assertEquals(204, client.send("POST", "/auth/logout", "Cookie", session).statusCode());
        assertEquals(401, client.send("GET", "/jobs", "Cookie", session).statusCode(), "the session outlived its sign-out");
    }

    @Test
    void everyAnswerCarriesThePagesSecurityHeaders() throws Exception {
        HttpResponse<String> page = client.send("GET", "/");
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"), policy);
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertFalse(page.body().contains("<script>") || page.body().contains("style=\""), "the page has inline script or style");
    }
}
