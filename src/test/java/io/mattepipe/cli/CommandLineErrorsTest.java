package io.mattepipe.cli;

import io.mattepipe.Main;
import io.mattepipe.TestPaths;
import io.mattepipe.app.MattepipeApplication;
import io.mattepipe.app.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistakes get the right exit code and one line that says what is wrong, before anything heavy starts. */
class CommandLineErrorsTest {

    @TempDir
    Path root;

    private String errors;

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        errors = err.toString();
        return exit;
    }

    @Test
    void usageMistakesExit64WithTheReason() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        Path noTruth = Files.createDirectories(root.resolve("photos"));
        Files.copy(TestPaths.SAMPLES.resolve("coffee.png"), noTruth.resolve("coffee.png"));
        String image = TestPaths.SAMPLES.resolve("coffee.png").toString();
        String missing = root.resolve("nope").toString();

        assertUsage("not a folder: " + missing, "evaluate", missing);
        assertUsage("no ground truth in", "evaluate", noTruth.toString());
        assertUsage("not a folder: " + missing, "serve", "--process", missing);
        assertUsage("no images in", "batch", empty.toString(), root.resolve("out").toString());
        assertUsage("unknown option 'sise'", "batch", noTruth.toString(), root.resolve("out").toString(), "--render", "sise=100");
        assertUsage("preset 'nope'", "batch", noTruth.toString(), root.resolve("out").toString(), "--render", "preset=nope");
        assertUsage("needs a background colour", "remove", image, root.resolve("x.jpg").toString());
        assertUsage("bad colour 'zz'", "remove", image, root.resolve("x.jpg").toString(), "--bgcolor", "zz");
        assertUsage("cannot write", "remove", image, root.resolve("x.gif").toString());
        // checked before the model is loaded: this model does not exist either
        assertUsage("no such file: " + missing, "remove", missing, root.resolve("x.png").toString(), "--model", missing);
        assertTrue(Files.notExists(root.resolve("x.gif")), "a .gif name got PNG bytes");
    }

    private void assertUsage(String reason, String... args) {
        assertEquals(64, run(args), String.join(" ", args) + ": " + errors);
        assertTrue(errors.contains(reason), String.join(" ", args) + ": " + errors);
    }

    @Test
    void aRouteFolderWithoutRoutesStopsStartUp() throws Exception {
        Path routes = Files.createDirectories(root.resolve("routes"));
        assertEquals(1, run("serve", "--routes", routes.toString(), "--data-dir", root.resolve("data").toString()), errors);
        assertTrue(errors.contains("no *.camel.yaml files"), errors);
    }

    @ParameterizedTest
    @CsvSource({"matting.workers, 0, 1 to 256", "upload.max-bytes, abc, from 1 up", "image.max-pixels, -5, from 1 up",
            "retry.max-attempts, 0, 1 to 100", "output.jpeg-quality, 2, 0.0 to 1.0", "matting.normalize, yes, true or false",
            "matting.spinning, yes, true or false", "matting.cascade-threshold, 1.5, 0.0 to 1.0"})
    void aSettingOutOfRangeStopsStartUpNamingItsValueAndRange(String key, String value, String allowed) throws Exception {
        Map<String, String> settings = new HashMap<>(RunningApp.testSettings(root.resolve("data"), RunningApp.freePort()));
        settings.put(key, value);
        Exception failure = assertThrows(Exception.class, () -> MattepipeApplication.create(settings).start());
        String line = describe(failure);
        assertTrue(line.contains("setting " + key + "=" + value + " is not allowed") && line.contains(allowed), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void aTakenPortStopsStartUp() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            Map<String, String> settings = RunningApp.testSettings(root.resolve("data"), taken.getLocalPort());
            Exception failure = assertThrows(Exception.class, () -> MattepipeApplication.create(settings).start());
            assertTrue(describe(failure).startsWith("camel.server.port=" + taken.getLocalPort() + ": cannot listen"),
                    describe(failure));
        }
    }

    @Test
    void aModelThatIsNotAModelStopsStartUp() throws Exception {
        Path junk = Files.writeString(root.resolve("junk.onnx"), "not a model");
        Map<String, String> settings = new HashMap<>(RunningApp.testSettings(root.resolve("data"), RunningApp.freePort()));
        settings.put("matting.model", junk.toString());
        Exception failure = assertThrows(Exception.class, () -> MattepipeApplication.create(settings).start());
        assertTrue(describe(failure).startsWith("matting.model=" + junk + ": cannot load model"), describe(failure));
    }

    @Test
    void aDatabaseThatCannotBeOpenedStopsStartUp() throws Exception {
        Path data = root.resolve("data");
        Files.createDirectories(data.resolve("tasks.db")); // a folder where the file should be
        Map<String, String> settings = RunningApp.testSettings(data, RunningApp.freePort());
        Exception failure = assertThrows(Exception.class, () -> MattepipeApplication.create(settings).start());
        assertTrue(describe(failure).contains("cannot open the database"), describe(failure));
    }

    private static String describe(Exception failure) {
        return Main.describe(failure);
    }
}
