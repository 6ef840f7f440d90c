package io.mattepipe.app;

import io.mattepipe.Main;
import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes are configuration: read from a folder instead of the jar, and a broken file is named with its line. */
class ExternalRoutesTest {

    @TempDir
    Path root;

    @Test
    void routesEditedInAFolderAreTheOnesThatRun() throws Exception {
        Path routes = copyOfTheRoutes();
        Path ops = routes.resolve("ops.camel.yaml");
        String health = Files.readString(ops);
        String edited = health.replace("constant: application/json", "constant: application/vnd.edited+json");
        assertTrue(!edited.equals(health), "the edit applies to ops.camel.yaml");
        Files.writeString(ops, edited);
        try (RunningApp app = RunningApp.start(root.resolve("data"),
                Map.of("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml"))) {
            assertEquals("application/vnd.edited+json", app.get("/health").headers().firstValue("Content-Type").orElse(""));
        }
    }

    @Test
    void aBrokenRouteFileFailsStartUpNamingTheFileAndLine() throws Exception {
        Path routes = copyOfTheRoutes();
        Path matting = routes.resolve("matting.camel.yaml");
        Files.writeString(matting, Files.readString(matting).replace("    id: matting\n", "    id: matting\n  bogus: [unclosed\n"));
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit;
        System.setProperty("matting.model", TestPaths.TINY_MODEL.toAbsolutePath().toString());
        try {
            exit = cli.execute("serve", "--data-dir", root.resolve("data").toString(),
                    "--port", String.valueOf(RunningApp.freePort()), "--routes", routes.toString());
        } finally {
            System.clearProperty("matting.model");
        }
        assertEquals(1, exit);
        assertTrue(err.toString().contains("matting.camel.yaml") && err.toString().contains("line 6"), err.toString());
    }

    private Path copyOfTheRoutes() throws Exception {
        Path routes = Files.createDirectories(root.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        return routes;
    }
}
