package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task's matte replaced through the API, refined, and reverted: what is refused changes nothing,
 * and what is taken reaches the cutout, the figures and the zip.
 */
class MatteVersionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int W = 120;
    private static final int H = 80;

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;
    private String job;

    /** A grey PNG: the left {@code split} columns in, the rest out. */
    private static byte[] greyMatte(int width, int height, int split) throws IOException {
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            Arrays.fill(pixels, y * width, y * width + split, (byte) 255);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", out);
        return out.toByteArray();
    }

    /** The grey values of a PNG matte, read from the raster (getRGB would brighten them). */
    private static byte[] values(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData().clone();
    }

    /** The alpha of the cutout PNG at (x, y). */
    private static int alphaAt(byte[] png, int x, int y) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png)).getRaster().getSample(x, y, 3);
    }

    @Test
    void aNewMatteReachesTheCutoutAndTheZipAndRevertBringsBackTheModels() throws Exception {
        app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        ReviewJob finished = ReviewJob.finish(app, root);
        job = finished.id();
        Map<String, String> ids = finished.tasks();
        String task = "/jobs/" + job + "/tasks/" + ids.get("good.png");

        HttpResponse<byte[]> original = bytes("GET", task + "/matte", null);
        assertEquals(200, original.statusCode());
        assertEquals("image/png", original.headers().firstValue("Content-Type").orElse(""));
        byte[] model = values(original.body());
        assertEquals(W * H, model.length);
        assertTrue((model[40 * W + 60] & 0xFF) > 240 && (model[2 * W + 2] & 0xFF) < 15, "the model's red square");

        // refused, and nothing changed
        assertEquals(400, bytes("PUT", task + "/matte", greyMatte(60, 40, 30)).statusCode(), "wrong size");
        assertEquals(400, bytes("PUT", task + "/matte", "not a picture".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(400, bytes("PUT", task + "/matte", TestArchives.image("png", W, H)).statusCode(), "a colour PNG");
        HttpResponse<byte[]> wrong = bytes("PUT", task + "/matte", greyMatte(60, 40, 30));
        assertTrue(new String(wrong.body(), StandardCharsets.UTF_8).contains("120x80"), new String(wrong.body(), StandardCharsets.UTF_8));
        assertArrayEquals(model, values(bytes("GET", task + "/matte", null).body()));
        assertEquals(0, taskRow(ids.get("good.png")).get("matte_version").asInt());
        assertEquals(404, bytes("PUT", "/jobs/" + job + "/tasks/nope/matte", greyMatte(W, H, 60)).statusCode());
        assertEquals(409, bytes("PUT", "/jobs/" + job + "/tasks/" + ids.get("notes.txt") + "/matte", greyMatte(W, H, 60)).statusCode(),
                "a failed task has no matte to replace");

        // version 1: the left half
        HttpResponse<byte[]> put = bytes("PUT", task + "/matte", greyMatte(W, H, 60));
        assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertEquals(1, JSON.readTree(put.body()).get("matte_version").asInt());
        byte[] half = values(bytes("GET", task + "/matte", null).body());
        assertEquals(255, half[10 * W + 5] & 0xFF);
        assertEquals(0, half[10 * W + 100] & 0xFF);
        byte[] cutout = bytes("GET", task + "/cutout", null).body();
        assertEquals(255, alphaAt(cutout, 5, 10), "the cutout is made from the new matte");
        assertEquals(0, alphaAt(cutout, 100, 10));
        JsonNode row = taskRow(ids.get("good.png"));
        assertEquals(1, row.get("matte_version").asInt());
        assertEquals(0.5, row.get("fg_fraction").asDouble(), 1e-9, "the figures were measured again: " + row);
        byte[] zipped = TestArchives.unzip(bytes("GET", "/download/" + job, null).body()).get("good.png");
        assertEquals(255, alphaAt(zipped, 5, 10), "the zip holds the new cutout");

        // refine: version 2 changes the border's band only
        HttpResponse<byte[]> refined = bytes("POST", task + "/matte/refine", null);
        assertEquals(200, refined.statusCode(), new String(refined.body(), StandardCharsets.UTF_8));
        assertEquals(2, JSON.readTree(refined.body()).get("matte_version").asInt());
        byte[] two = values(bytes("GET", task + "/matte", null).body());
        for (int y = 0; y < H; y++) {
            assertEquals(255, two[y * W] & 0xFF, "far inside stays in");
            assertEquals(0, two[y * W + W - 1] & 0xFF, "far outside stays out");
        }
        assertFalse(Arrays.equals(half, two), "the border moved towards the photo's edges");

        // revert: the model's matte, version 0, and its figures again
        HttpResponse<byte[]> reverted = bytes("DELETE", task + "/matte", null);
        assertEquals(200, reverted.statusCode(), new String(reverted.body(), StandardCharsets.UTF_8));
        assertEquals(0, JSON.readTree(reverted.body()).get("matte_version").asInt());
        assertArrayEquals(model, values(bytes("GET", task + "/matte", null).body()));
        assertEquals(0, taskRow(ids.get("good.png")).get("matte_version").asInt());
        assertTrue(alphaAt(TestArchives.unzip(bytes("GET", "/download/" + job, null).body()).get("good.png"), 5, 10) < 15,
                "the zip holds the model's cutout again");
    }

    /** The task as {@code GET /jobs/{job}/tasks} lists it. */
    private JsonNode taskRow(String taskId) throws Exception {
        for (JsonNode task : JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks")) {
            if (task.get("task_id").asText().equals(taskId)) {
                return task;
            }
        }
        throw new AssertionError("no task " + taskId + " in job " + job);
    }

    private HttpResponse<byte[]> bytes(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "image/png").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return app.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
