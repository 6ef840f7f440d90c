package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results taken away after the job, rendered from the stored cutouts (one image, a selection),
 * named after the job and the files; a finished job deleted with its files, a running one refused.
 */
class DownloadAndDeleteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    @Test
    void rendersChosenImagesAndDeletesOnlyFinishedJobs() throws Exception {
        app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("shop/shoe.png", TestArchives.image("png", 200, 100));
        entries.put("bag.png", TestArchives.image("png", 80, 80));
        entries.put("notes.txt", "not a photo".getBytes(StandardCharsets.UTF_8));
        Path upload = root.resolve("Sommer Katalog.zip");
        TestArchives.zip(upload, entries);

        // held before the model: the job is running, so it cannot be deleted yet
        app.holdMatting();
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        // the split's own exchange, not one of the per-image ones it makes
        NotifyBuilder split = new NotifyBuilder(app.context()).fromRoute("split")
                .filter(exchange -> exchange.getProperty(Exchange.SPLIT_INDEX) == null).whenDone(1).create();
        String job = upload(upload);
        assertTrue(split.matches(30, TimeUnit.SECONDS), "split did not end");
        HttpResponse<String> refused = send("DELETE", "/jobs/" + job);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("cancel it first"), refused.body());
        JsonNode waiting = JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks");
        assertEquals("waiting", waiting.get(0).get("status_text").asText());
        HttpResponse<byte[]> thumb = bytes("/jobs/" + job + "/tasks/" + waiting.get(0).get("task_id").asText() + "/thumb");
        assertEquals(200, thumb.statusCode());
        assertEquals("image/jpeg", thumb.headers().firstValue("Content-Type").orElse(""));
        app.releaseMatting();
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "job did not finish");

        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("done, 1 failed", status.get("status_text").asText());
        assertEquals(2, status.get("counts_in_words").get("done").asInt());
        Map<String, String> ids = new LinkedHashMap<>();
        JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks")
                .forEach(t -> ids.put(t.get("name").asText(), t.get("task_id").asText()));
        JsonNode failed = JSON.readTree(app.get("/jobs/" + job + "/tasks?status=permanently_failed").body()).get("tasks").get(0);
        assertTrue(failed.get("status_text").asText().startsWith("failed: not an image: notes.txt"), failed.toString());

        // one image: JPEG on white, cropped to the red square with 10 % margin, named after the file
        HttpResponse<byte[]> shoe = bytes("/jobs/" + job + "/tasks/" + ids.get("shop/shoe.png")
                + "/render?format=jpg&background=white&crop=true&margin=10");
        assertEquals(200, shoe.statusCode(), new String(shoe.body(), StandardCharsets.UTF_8));
        assertEquals("image/jpeg", shoe.headers().firstValue("Content-Type").orElse(""));
        assertTrue(shoe.headers().firstValue("Content-Disposition").orElse("").contains("filename=\"shoe.jpg\""));
        BufferedImage cropped = ImageIO.read(new ByteArrayInputStream(shoe.body()));
        assertEquals(120, cropped.getWidth(), "the 100×50 subject and 10 pixels (10 % of 100) all round");
        assertEquals(70, cropped.getHeight());

        // a selection, as one zip named after the upload
        HttpResponse<byte[]> zip = bytes("/download/" + job + "?tasks=" + ids.get("bag.png") + "," + ids.get("shop/shoe.png")
                + "&max_size=40");
        assertEquals(200, zip.statusCode());
        assertEquals("attachment; filename=\"Sommer Katalog-results.zip\"; filename*=UTF-8''Sommer%20Katalog-results.zip",
                zip.headers().firstValue("Content-Disposition").orElse(""));
        Map<String, byte[]> files = TestArchives.unzip(zip.body());
        assertEquals(List.of("bag.png", "shop/shoe.png"), List.copyOf(files.keySet()));
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(files.get("shop/shoe.png")));
        assertEquals(40, small.getWidth());
        assertTrue(small.getColorModel().hasAlpha(), "transparent unless a background is chosen");
        assertEquals(404, bytes("/download/" + job + "?tasks=999999").statusCode());
        assertEquals(409, bytes("/download/" + job + "?tasks=" + failed.get("task_id").asText()).statusCode(),
                "a failed image has nothing to download");
        assertEquals(400, bytes("/jobs/" + job + "/tasks/" + ids.get("bag.png") + "/render?format=jpg").statusCode(),
                "a JPEG needs a background");

        // delete: the rows and every file of the job go, other paths stay
        HttpResponse<String> deleted = send("DELETE", "/jobs/" + job);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(404, app.get("/status/" + job).statusCode());
        assertEquals(0, JSON.readTree(app.get("/jobs").body()).get("jobs").size());
        for (String folder : List.of("input", "matting_output", "final_results", "thumbs")) {
            assertFalse(Files.exists(app.dataDir.resolve(folder).resolve(job)), folder);
        }
        assertTrue(Files.isRegularFile(app.dataDir.resolve("tasks.db")));
        assertEquals(404, send("DELETE", "/jobs/" + job).statusCode());
    }

    private String upload(Path file) throws Exception {
        return app.upload(file, file.getFileName().toString());
    }

    private HttpResponse<byte[]> bytes(String path) throws Exception {
        return app.http.send(HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return app.http.send(HttpRequest.newBuilder(app.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
