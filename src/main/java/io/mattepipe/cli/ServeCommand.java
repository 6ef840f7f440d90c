package io.mattepipe.cli;

import io.mattepipe.app.MattepipeApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.mattepipe.app.Settings;
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
            overrides.put("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml");
        }
        if (process == null) {
            MattepipeApplication.create(overrides).run();
            return 0;
        }
        Path data = dataDir != null ? dataDir : Path.of(Settings.load().get("data.dir"));
        try (JobRunner runner = JobRunner.start(data, true, overrides)) {
            Map<String, Object> job = runner.run(process, "folder", true);
            System.err.printf("job %s %s: %s; results in %s%n", job.get("job_id"), job.get("state"),
                    runner.queries().counts(job.get("job_id").toString()), runner.layout().outbox());
            return "completed".equals(job.get("state")) ? 0 : 2;
        }
    }
}
