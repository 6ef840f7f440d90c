package io.mattepipe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.NotifyBuilder;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finished job for the review tests: a clean subject ("good.png") the tiny model is sure of, and
 * a frame-filling one ("doubtful.png") that looks like a kept background, and "notes.txt", which
 * fails (nothing to review); its task ids by name.
 */
public record ReviewJob(String id, Map<String, String> tasks) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Uploads the two images as one zip and waits until the job has finished. */
    public static ReviewJob finish(RunningApp app, Path root) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("good.png", TestArchives.image("png", 120, 80));
        entries.put("doubtful.png", allSubject(120, 80));
        entries.put("notes.txt", "not a photo".getBytes(StandardCharsets.UTF_8));
        Path upload = root.resolve("shoot.zip");
        TestArchives.zip(upload, entries);
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = app.upload(upload, "shoot.zip");
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "job did not finish");
        Map<String, String> ids = new LinkedHashMap<>();
        JSON.readTree(app.get("/jobs/" + job + "/tasks").body()).get("tasks")
                .forEach(t -> ids.put(t.get("name").asText(), t.get("task_id").asText()));
        return new ReviewJob(job, ids);
    }

    /** A picture filled by the tiny model's "subject" colour: the whole frame is kept, as when a model keeps the background. */
    static byte[] allSubject(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
