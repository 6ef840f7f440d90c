package io.mattepipe.cli;

import io.mattepipe.app.MattepipeApplication;
import io.mattepipe.app.StartupException;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.mattepipe.app.Settings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mattepipe serve}: the service, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the service: HTTP API and web page, inbox folder, workers.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: setting data.dir (./data).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port. Default: setting camel.server.port (8080).")
    Integer port;

    @Option(names = "--routes", paramLabel = "DIR",
            description = "Load the YAML routes from this folder instead of the jar (a restart applies edits).")
    Path routes;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Settings profile: cluster puts the queues on BROKER_URL and the state on DB_URL (also CAMEL_MAIN_PROFILE).")
    String profile;

    @Option(names = "--process", paramLabel = "DIR",
            description = "Process the images under DIR as one job, leave its results zip in DATA_DIR/outbox, then stop.")
    Path process;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        if (dataDir != null) {
            overrides.put("data.dir", dataDir.toString());
        }
        if (port != null) {
            overrides.put("camel.server.port", port.toString());
        }
        if (profile != null) {
            overrides.put("camel.main.profile", profile);
        }
        if (routes != null) {
            requireRoutes(routes);
            overrides.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");
        }
        if (process == null) {
            Main main = MattepipeApplication.create(overrides);
            StopSignals.onStop(main::completed);
            main.run();
            return 0;
        }
        InputFolder.requireImages(process);
        Path data = dataDir != null ? dataDir : Path.of(Settings.load().get("data.dir"));
        try (JobRunner runner = JobRunner.start(data, true, overrides)) {
            Map<String, Object> job = runner.run(process, "folder", true);
            System.err.printf("job %s %s: %s; results in %s%n", job.get("job_id"), job.get("state"),
                    runner.queries().counts(job.get("job_id").toString()), runner.layout().outbox());
            return "completed".equals(job.get("state")) ? 0 : 2;
        }
    }

    /** A route folder without routes would start a service that answers nothing (not even /health). */
    private static void requireRoutes(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new StartupException("--routes " + folder + ": not a folder");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.camel.yaml")) {
            if (!files.iterator().hasNext()) {
                throw new StartupException("--routes " + folder.toAbsolutePath() + ": no *.camel.yaml files in it"
                        + " (copy src/main/resources/routes/ and edit the copy)");
            }
        }
    }
}
