package io.mattepipe.cli;

import io.mattepipe.app.DataLayout;
import io.mattepipe.app.JobResults;
import io.mattepipe.app.MattepipeApplication;
import io.mattepipe.app.PipelineHeaders;
import io.mattepipe.app.TaskQueries;
import io.mattepipe.state.TaskState;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one folder through the application's own routes, in this process, and waits for it with a
 * progress bar: what {@code batch}, {@code evaluate}, {@code bench} and {@code serve --process} share.
 */
final class JobRunner implements AutoCloseable {

    private final Main main;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private JobRunner(Main main) {
        this.main = main;
    }

    /** Thrown by {@link #run} when SIGTERM or SIGINT stopped the command before its job finished. */
    static final class StoppedException extends RuntimeException implements CommandLine.IExitCodeGenerator {
        private final int exitCode;

        StoppedException(String signal, int number) {
            super("stopped by SIG" + signal + " before the job finished; run it again on the same data folder to finish"
                    + " the images that are left");
            this.exitCode = 128 + number;
        }

        @Override
        public int getExitCode() {
            return exitCode;
        }
    }

    /**
     * @param http whether the HTTP API and the inbox run too ({@code serve --process}); without
     *             them the routes of {@code api.camel.yaml} are not loaded
     */
    static JobRunner start(Path dataDir, boolean http, Map<String, String> settings) throws Exception {
        return start(dataDir, http, settings, Map.of());
    }

    /** @param beans objects bound in the registry before start-up (the bench's stage timer) */
    static JobRunner start(Path dataDir, boolean http, Map<String, String> settings, Map<String, Object> beans)
            throws Exception {
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.put("data.dir", dataDir.toString());
        if (!http) {
            // a command-line run reports through its progress bar and summary, not the service's log
            Configurator.setRootLevel(Level.WARN);
            overrides.put("camel.server.enabled", "false");
            overrides.put("camel.main.routes-exclude-pattern", "**/api.camel.yaml,**/web.camel.yaml,**/ops.camel.yaml");
            overrides.put("inbox.enabled", "false");
        }
        Main main = MattepipeApplication.create(overrides);
        beans.forEach(main::bind);
        JobRunner runner = new JobRunner(main);
        StopSignals.onStop(runner.stopRequested::countDown);
        main.start();
        return runner;
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    DataLayout layout() {
        return context().getRegistry().lookupByNameAndType("layout", DataLayout.class);
    }

    TaskQueries queries() {
        return context().getRegistry().lookupByNameAndType("taskQueries", TaskQueries.class);
    }

    /**
     * Submits the folder as a job and blocks until the job is finished; returns its row.
     *
     * @param source "batch" (results stay in the data folder) or "folder" (its zip goes to the outbox)
     */
    Map<String, Object> run(Path folder, String source, boolean showProgress) throws InterruptedException, IOException {
        ProducerTemplate template = context().createProducerTemplate();
        String job = template.requestBodyAndHeader("direct:submitFolder", folder.toAbsolutePath().normalize().toString(),
                PipelineHeaders.SOURCE, source, String.class);
        Runnable restoreLog = showProgress ? logToFileWhileTheBarDraws() : () -> { };
        try (ProgressBar bar = showProgress ? progressBar(folder) : null) {
            while (true) {
                Map<String, Object> row = queries().job(job);
                long done = 0;
                long seen = 0;
                for (Map<String, Object> count : queries().counts(job)) {
                    long n = ((Number) count.get("n")).longValue();
                    seen += n;
                    if (TaskState.of(count.get("state")).isTerminal()) {
                        done += n;
                    }
                }
                if (bar != null) {
                    bar.maxHint(Math.max(seen, ((Number) row.get("total")).longValue()));
                    bar.stepTo(done);
                }
                if (JobResults.isFinished(row)) {
                    context().getRegistry().lookupByNameAndType("jobResults", JobResults.class).ensureReports(row);
                    return row;
                }
                if (stopRequested.await(500, TimeUnit.MILLISECONDS)) {
                    throw new StoppedException(StopSignals.received(), StopSignals.receivedNumber());
                }
            }
        } finally {
            restoreLog.run();
        }
    }

    /**
     * Log lines written to the terminal while the bar redraws itself break both: while it draws,
     * the log goes to {@code DATA_DIR/mattepipe.log} instead (said once, before the bar). Returns
     * what puts the console back.
     */
    private Runnable logToFileWhileTheBarDraws() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        Appender console = config.getAppender("out");
        LoggerConfig root = config.getRootLogger();
        if (console == null) {
            return () -> { };
        }
        Path file = layout().root().resolve("mattepipe.log").toAbsolutePath();
        System.err.println("log: " + file);
        FileAppender appender = FileAppender.newBuilder().setName("progress-log").withFileName(file.toString())
                .withAppend(true).setLayout(console.getLayout()).setConfiguration(config).build();
        appender.start();
        root.removeAppender(console.getName());
        root.addAppender(appender, null, null);
        logging.updateLoggers();
        return () -> {
            root.removeAppender(appender.getName());
            root.addAppender(console, null, null);
            logging.updateLoggers();
            appender.stop();
        };
    }

    private static ProgressBar progressBar(Path folder) {
        return new ProgressBarBuilder().setTaskName(folder.getFileName() == null ? "images" : folder.getFileName().toString())
                // "0.1 img/s", not the default format's ".1 img/s"
                .setUnit(" img", 1).showSpeed(new DecimalFormat("0.0")).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).setMaxRenderedLength(100).setSpeedUnit(ChronoUnit.SECONDS)
                .setInitialMax(-1).continuousUpdate().build();
    }

    @Override
    public void close() {
        main.stop();
    }
}
