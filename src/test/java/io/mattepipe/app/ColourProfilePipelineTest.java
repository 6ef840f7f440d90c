package io.mattepipe.app;

import io.mattepipe.image.IccProfiles;
import io.mattepipe.image.ImageEncoder;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A photo in another RGB space than sRGB: its cutout and every rendition of it carry the photo's profile. */
class ColourProfilePipelineTest {

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    @Test
    void theCutoutAndItsRenditionsCarryThePhotosProfile() throws Exception {
        RunningApp app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        BufferedImage photo = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 200, 100);
        g.setColor(Color.RED);
        g.fillRect(50, 25, 100, 50);
        g.dispose();
        Path upload = root.resolve("linear.jpg");
        new ImageEncoder(3, 0.95f).write(photo, "jpg", upload, profile);

        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        String job = app.upload(upload, "linear.jpg");
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "job did not finish");
        String task = app.get("/jobs/" + job + "/tasks").body().replaceAll("(?s).*\"task_id\"\\s*:\\s*\"?([^\",]+)\"?.*", "$1");

        Path cutout = app.dataDir.resolve("matting_output").resolve(job);
        try (var files = Files.list(cutout)) {
            Path png = files.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
            assertArrayEquals(profile, IccProfiles.read(png), "the cutout PNG's iCCP");
        }
        for (String query : new String[] {"format=png", "format=webp&size=100x100", "format=jpg&background=white"}) {
            HttpResponse<byte[]> render = app.http.send(HttpRequest.newBuilder(
                    app.uri("/jobs/" + job + "/tasks/" + task + "/render?" + query)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, render.statusCode(), query);
            Path out = root.resolve("render-" + query.replaceAll("\\W", "_"));
            Files.write(out, render.body());
            byte[] read = IccProfiles.read(out);
            // Java's JPEG writer passes the profile through LittleCMS, which rewrites its 128-byte header
            assertArrayEquals(Arrays.copyOfRange(profile, 128, profile.length), Arrays.copyOfRange(read, 128, read.length), query);
        }
    }
}
