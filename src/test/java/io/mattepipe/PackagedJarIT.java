package io.mattepipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's main job, on the jar as shipped: every component the routes use must be inside it. */
class PackagedJarIT {

    @TempDir
    Path root;

    @Test
    void serveProcessRunsTheSamplesThroughTheShippedJar() throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("run.log");
        Process run = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmatting.model=" + TestPaths.TINY_MODEL.toAbsolutePath(), "-jar", "target/mattepipe.jar",
                "serve", "--process", TestPaths.SAMPLES.toString(), "--data-dir", data.toString(), "--port", "0"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), "did not finish");
        assertEquals(0, run.exitValue(), Files.readString(log));
        try (Stream<Path> outbox = Files.list(data.resolve("outbox"))) {
            assertEquals(1, outbox.filter(p -> p.toString().endsWith("-results.zip")).count(), Files.readString(log));
        }
    }
}
