package io.mattepipe.app;

import io.mattepipe.image.Rendition;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canvases, WebP and presets through the API, from the stored cutout; every option checked by name,
 * so a misspelt one answers 400 instead of being ignored.
 */
class RenderOptionsApiTest {

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    @Test
    void rendersOnCanvasesAndRefusesOptionsItDoesNotKnow() throws Exception {
        app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false", "render.presets", "shop,square",
                "render.preset.square", "size=400x400&scale=50&background=white&format=jpg"));
        Path photo = root.resolve("shoe.png");
        // a red 100x50 subject on blue, which the tiny model separates
        Files.write(photo, TestArchives.image("png", 200, 100));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = app.upload(photo, "shoe.png");
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "job did not finish");
        String task = taskOf(job);
        String render = "/jobs/" + job + "/tasks/" + task + "/render";

        HttpResponse<byte[]> canvas = bytes(render + "?size=800x800&scale=80");
        assertEquals(200, canvas.statusCode(), text(canvas));
        BufferedImage square = image(canvas);
        assertEquals(800, square.getWidth());
        assertEquals(800, square.getHeight());
        assertEquals(new Rectangle(80, 240, 640, 320), Rendition.subjectBox(square, 0),
                "the 100x50 subject 640 wide (80 %), centred");

        HttpResponse<byte[]> webp = bytes(render + "?format=webp&size=300&scale=50&position=bottom");
        assertEquals(200, webp.statusCode(), text(webp));
        assertEquals("image/webp", webp.headers().firstValue("Content-Type").orElse(""));
        assertTrue(webp.headers().firstValue("Content-Disposition").orElse("").contains("shoe.webp"));
        BufferedImage decoded = image(webp);
        assertEquals(300, decoded.getWidth());
        assertTrue(decoded.getColorModel().hasAlpha());

        HttpResponse<byte[]> preset = bytes(render + "?preset=square&shadow=true");
        assertEquals(200, preset.statusCode(), text(preset));
        assertEquals("image/jpeg", preset.headers().firstValue("Content-Type").orElse(""));
        assertEquals(400, image(preset).getWidth());

        for (String[] refused : new String[][] {{"?size=800x800&sclae=80", "'sclae'"}, {"?size=800y800", "size"},
                {"?scale=120", "scale"}, {"?position=top", "position"}, {"?preset=none", "preset"},
                {"?format=gif", "format"}, {"?size=800&max_size=100", "max_size"}}) {
            HttpResponse<byte[]> answer = bytes(render + refused[0]);
            assertEquals(400, answer.statusCode(), refused[0] + ": " + text(answer));
            assertTrue(text(answer).contains(refused[1]), refused[0] + ": " + text(answer));
        }

        HttpResponse<byte[]> misspelt = bytes("/download/" + job + "?partail=true");
        assertEquals(400, misspelt.statusCode(), text(misspelt));
        assertTrue(text(misspelt).contains("'partail'"), text(misspelt));
        HttpResponse<byte[]> zip = bytes("/download/" + job + "?size=120x90&format=webp");
        assertEquals(200, zip.statusCode(), text(zip));
        Map<String, byte[]> files = TestArchives.unzip(zip.body());
        assertEquals(List.of("shoe.webp"), List.copyOf(files.keySet()));
        assertEquals(90, ImageIO.read(new ByteArrayInputStream(files.get("shoe.webp"))).getHeight());

        // WebP chosen at upload: the job's result is a WebP cutout with alpha
        NotifyBuilder second = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String webpJob = upload(photo, "format=webp");
        assertTrue(second.matches(60, TimeUnit.SECONDS), "webp job did not finish");
        String webpTask = taskOf(webpJob);
        HttpResponse<byte[]> result = bytes("/jobs/" + webpJob + "/tasks/" + webpTask + "/result");
        assertEquals(200, result.statusCode(), text(result));
        assertEquals("image/webp", result.headers().firstValue("Content-Type").orElse(""));
        BufferedImage cutout = image(result);
        assertTrue(cutout.getColorModel().hasAlpha());
        assertEquals(0, cutout.getRGB(5, 5) >>> 24, "the blue backdrop is transparent");
        assertEquals(0xFFFF0000, cutout.getRGB(100, 50), "the red subject is kept");

        // a canvas chosen at upload, and a preset: the job's result is rendered so, its zip too
        NotifyBuilder third = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(2).create();
        String canvasJob = upload(photo, "size=300x200&scale=50&position=bottom&format=webp");
        String presetJob = upload(photo, "preset=square");
        assertTrue(third.matches(60, TimeUnit.SECONDS), "canvas jobs did not finish");
        BufferedImage onCanvas = image(bytes("/jobs/" + canvasJob + "/tasks/" + taskOf(canvasJob) + "/result"));
        assertEquals(300, onCanvas.getWidth());
        assertEquals(new Rectangle(75, 125, 150, 75), Rendition.subjectBox(onCanvas, 0), "half the width, on the bottom edge");
        Map<String, byte[]> canvasZip = TestArchives.unzip(bytes("/download/" + canvasJob).body());
        assertEquals(300, ImageIO.read(new ByteArrayInputStream(canvasZip.get("shoe.webp"))).getWidth(), canvasZip.keySet().toString());
        HttpResponse<byte[]> presetResult = bytes("/jobs/" + presetJob + "/tasks/" + taskOf(presetJob) + "/result");
        assertEquals("image/jpeg", presetResult.headers().firstValue("Content-Type").orElse(""));
        BufferedImage white = image(presetResult);
        assertEquals(400, white.getWidth());
        assertEquals(0xFFFFFFFF, white.getRGB(5, 5), "the preset's white background");

        for (String[] refused : new String[][] {{"size=big", "size"}, {"preset=nope", "preset"}, {"mask_only=true&size=300", "mask_only"},
                {"format=jpg&size=300", "background"}}) {
            HttpResponse<String> answer = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=shoe.png&" + refused[0]))
                    .POST(HttpRequest.BodyPublishers.ofFile(photo)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, answer.statusCode(), refused[0] + ": " + answer.body());
            assertTrue(answer.body().contains(refused[1]), refused[0] + ": " + answer.body());
        }
    }

    private String upload(Path photo, String options) throws Exception {
        HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=shoe.png&" + options))
                .POST(HttpRequest.BodyPublishers.ofFile(photo)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return accepted.body().replaceAll("(?s).*\"job_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private String taskOf(String job) throws Exception {
        return app.get("/jobs/" + job + "/tasks").body().replaceAll("(?s).*\"task_id\"\\s*:\\s*\"?([^\",]+)\"?.*", "$1");
    }

    private HttpResponse<byte[]> bytes(String path) throws Exception {
        return app.http.send(HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static BufferedImage image(HttpResponse<byte[]> response) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(response.body()));
    }
}
