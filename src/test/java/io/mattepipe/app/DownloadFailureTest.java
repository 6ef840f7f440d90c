package io.mattepipe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A results zip that fails while it streams must reach the client as an error, not as a short file with 200. */
class DownloadFailureTest {

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    @Test
    void aZipThatCannotBeWrittenAbortsTheDownload() throws Exception {
        app = apps.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Path zip = root.resolve("two.zip");
        // big enough that the first cutout fills the pipe and the response has begun when the second fails
        TestArchives.zip(zip, TestArchives.numberedImages(2, 1600, 1200));
        HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=two.zip"))
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(zip)).build(),
                HttpResponse.BodyHandlers.ofString());
        String job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
        assertTrue(finished.matches(30, TimeUnit.SECONDS), "the job did not finish");
        HttpRequest download = HttpRequest.newBuilder(app.uri("/download/" + job)).build();
        assertEquals(200, app.http.send(download, HttpResponse.BodyHandlers.ofByteArray()).statusCode());

        // the second cutout becomes unreadable: the zip fails after its first entries were sent
        Path cutout = app.dataDir.resolve("matting_output").resolve(job).resolve("000001.png");
        Files.delete(cutout);
        Files.createDirectory(cutout);

        // an error status when the zip failed before the response began, a reset connection after
        try {
            HttpResponse<byte[]> broken = app.http.send(download, HttpResponse.BodyHandlers.ofByteArray());
            assertNotEquals(200, broken.statusCode(), "a broken zip was delivered as a complete response");
        } catch (IOException reset) {
            System.out.println("download aborted as it should be: " + reset);
        }
    }
}
