package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cutouts to check first: every task's confidence, worst first through the API, the job's count
 * of what is left to review, and a person's decisions reaching the zip and the reports.
 */
class ReviewQueueTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    @Test
    void theDoubtfulCutoutComesFirstAndARejectionLeavesItOutOfTheZip() throws Exception {
        app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        ReviewJob finished = ReviewJob.finish(app, root);
        String job = finished.id();
        Map<String, String> ids = finished.tasks();

        JsonNode worstFirst = JSON.readTree(app.get("/jobs/" + job + "/tasks?sort=confidence").body()).get("tasks");
        assertEquals("doubtful.png", worstFirst.get(0).get("name").asText());
        assertTrue(worstFirst.get(0).get("confidence").asDouble() < 0.5, worstFirst.toString());
        assertTrue(worstFirst.get(0).get("doubts").asText().contains("touches_frame"), worstFirst.toString());
        assertEquals("good.png", worstFirst.get(1).get("name").asText());
        assertEquals("notes.txt", worstFirst.get(2).get("name").asText(), "without a confidence: last");
        assertTrue(worstFirst.get(1).get("confidence").asDouble() > 0.9, worstFirst.toString());
        assertEquals(400, app.get("/jobs/" + job + "/tasks?sort=size").statusCode());

        JsonNode review = JSON.readTree(app.get("/status/" + job).body()).get("review");
        assertEquals(0.5, review.get("threshold").asDouble());
        assertEquals(1, review.get("to_review").asInt());

        String doubtful = "/jobs/" + job + "/tasks/" + ids.get("doubtful.png") + "/review";
        assertEquals(400, post(doubtful, "{\"decision\": \"maybe\"}").statusCode());
        assertEquals(400, post(doubtful, "not json").statusCode());
        assertEquals(404, post("/jobs/" + job + "/tasks/nope/review", "{\"decision\": \"reject\"}").statusCode());
        HttpResponse<String> notDone = post("/jobs/" + job + "/tasks/" + ids.get("notes.txt") + "/review", "{\"decision\": \"accept\"}");
        assertEquals(409, notDone.statusCode(), notDone.body());
        assertTrue(notDone.body().contains("only a finished cutout"), notDone.body());
        HttpResponse<String> rejected = post(doubtful, "{\"decision\": \"reject\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals("rejected", JSON.readTree(rejected.body()).get("review").asText());
        assertEquals(200, post("/jobs/" + job + "/tasks/" + ids.get("good.png") + "/review?decision=accept", "").statusCode());

        review = JSON.readTree(app.get("/status/" + job).body()).get("review");
        assertEquals(0, review.get("to_review").asInt());
        assertEquals(1, review.get("accepted").asInt());
        assertEquals(1, review.get("rejected").asInt());

        HttpResponse<byte[]> zip = app.http.send(HttpRequest.newBuilder(app.uri("/download/" + job)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        Map<String, byte[]> files = TestArchives.unzip(zip.body());
        assertTrue(files.containsKey("good.png"), files.keySet().toString());
        assertFalse(files.containsKey("doubtful.png"), "a rejected cutout is not in the zip: " + files.keySet());
        assertFalse(files.containsKey("doubtful_compare.jpg"), files.keySet().toString());
        JsonNode report = JSON.readTree(files.get("report.json"));
        assertEquals(1, report.get("summary").get("rejected").asInt(), "the reports were written again after the review");
        Map<String, JsonNode> reported = new HashMap<>();
        report.get("tasks").forEach(task -> reported.put(task.get("name").asText(), task));
        assertEquals("rejected", reported.get("doubtful.png").get("review").asText());
        assertEquals("accepted", reported.get("good.png").get("review").asText());
        assertTrue(reported.get("good.png").get("confidence").isNumber(), reported.toString());
        assertTrue(reported.get("notes.txt").get("review").isNull() && reported.get("notes.txt").get("confidence").isNull(),
                "a failed task has neither");
        String csv = new String(files.get("report.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.lines().findFirst().orElse("").endsWith(",confidence,agreement,doubts,review,matte_version"), csv);
        String html = new String(files.get("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("rejected in review (not in the zip)"), "the page lists the rejection");

        // undone: the cutout is back in the zip
        assertEquals(200, post(doubtful, "{\"decision\": \"clear\"}").statusCode());
        assertEquals(1, JSON.readTree(app.get("/status/" + job).body()).get("review").get("to_review").asInt());
        files = TestArchives.unzip(app.http.send(HttpRequest.newBuilder(app.uri("/download/" + job)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        assertTrue(files.containsKey("doubtful.png"), files.keySet().toString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return app.http.send(HttpRequest.newBuilder(app.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
