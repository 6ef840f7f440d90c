package io.mattepipe.app;

import com.zaxxer.hikari.HikariDataSource;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.intake.ArchiveSplitter;
import io.mattepipe.intake.IntakeLimits;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.ModelSpec;
import io.mattepipe.model.StageTimer;
import io.mattepipe.results.ReportWriter;
import io.mattepipe.state.Database;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The beans the routes call, built once from {@code application.properties} and bound to the
 * registry by name, in dependency order: one data source, one shared model, the stage beans.
 */
public final class PipelineConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Registry registry = context.getRegistry();

        for (String key : Settings.checkedKeys()) {
            properties.resolveProperty(key).ifPresent(value -> Settings.check(key, value));
        }
        requireFreePort(properties);
        DataLayout layout = new DataLayout(Path.of(get(properties, "data.dir")));
        HikariDataSource dataSource;
        try {
            dataSource = Database.open(layout.database(), getInt(properties, "db.pool-size"));
        } catch (RuntimeException e) {
            throw new StartupException("data.dir=" + get(properties, "data.dir") + ": cannot open the database "
                    + layout.database() + ": " + ErrorText.of(e), e);
        }
        registry.bind("dataSource", dataSource);
        registry.bind("layout", layout);

        ModelSpec spec = loadModel(properties, () -> new ModelCatalog(Path.of(get(properties, "matting.models-dir")))
                .resolve(get(properties, "matting.model"), Boolean.parseBoolean(get(properties, "matting.normalize"))));
        int workers = getInt(properties, "matting.workers");
        int batchSize = getInt(properties, "matting.batch-size");
        // a consumer blocks on its own image while its batch gathers: full batches for every run
        // need workers × batch-size consumers
        properties.addInitialProperty("matting.consumers", String.valueOf(workers * batchSize));
        MattingModel model = loadModel(properties, () -> MattingModel.load(spec,
                MattingModel.intraOpThreads(getInt(properties, "matting.threads"), workers), get(properties, "matting.device"),
                new MattingModel.Batching(batchSize, Duration.ofMillis(getInt(properties, "matting.batch-wait-ms")), workers)));
        registry.bind("mattingModel", model);
        LOG.info("model {} on {}: {} runs at once, {} ONNX Runtime threads each, {} images per run, {} matting consumers",
                spec.path().getFileName(), get(properties, "matting.device"), workers,
                MattingModel.intraOpThreads(getInt(properties, "matting.threads"), workers), batchSize, workers * batchSize);
        ImageDecoder decoder = new ImageDecoder(Long.parseLong(get(properties, "image.max-pixels")));
        ImageEncoder encoder = new ImageEncoder(getInt(properties, "output.png-compression"),
                Float.parseFloat(get(properties, "output.jpeg-quality")));

        TaskQueries queries = new TaskQueries(context.createProducerTemplate(), getInt(properties, "db.page-size"));
        registry.bind("taskQueries", queries);
        PipelineMetrics metrics = new PipelineMetrics(queries::countsByState);
        registry.bind("pipelineMetrics", metrics);
        metrics.watchQueue("matting", queueDepth(context, get(properties, "queue.matting")));
        metrics.watchQueue("compare", queueDepth(context, get(properties, "queue.compare")));
        // the bench binds its own timer before start-up; the service reports through /metrics
        StageTimer bound = registry.lookupByNameAndType("stageTimer", StageTimer.class);
        StageTimer timer = bound != null ? bound : metrics;
        context.getManagementStrategy().addEventNotifier(new StateWriteTimer(timer));

        String modelName = get(properties, "matting.model");
        registry.bind("jobIntake", new JobIntake(layout, modelName));
        registry.bind("uploadReceiver", new UploadReceiver(layout, Long.parseLong(get(properties, "upload.max-bytes"))));
        registry.bind("jobSplitter", new JobSplitter(new ArchiveSplitter(IntakeLimits.defaults()), layout));
        registry.bind("mattingStage", new MattingStage(new BackgroundRemover(decoder, model, encoder, timer), layout));
        registry.bind("comparisonStage", new ComparisonStage(decoder, encoder, layout,
                getInt(properties, "compare.panel-width"), timer));
        registry.bind("jobViews", new JobViews());
        registry.bind("webAssets", new WebAssets());

        ExecutorService zipWriters = context.getExecutorServiceManager().newCachedThreadPool(this, "results-zip");
        registry.bind("jobResults", new JobResults(queries, layout, new ReportWriter(5_000), zipWriters));
        registry.bind("failedAttemptRecorder", new FailedAttemptRecorder(context.createProducerTemplate(), metrics));

        // recovery takes up only the jobs from before this moment, in the time stamps' own format
        properties.addInitialProperty("app.started-at", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        // Camel's redelivery counts retries, the setting counts tries
        properties.addInitialProperty("retry.max-redeliveries", String.valueOf(getInt(properties, "retry.max-attempts") - 1));

        context.addStartupListener(new AbortBrokenResponses());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                model.close();
                dataSource.close();
            }
        });
    }

    /** A model path, device or file that does not work stops start-up with the setting that chose it. */
    private static <T> T loadModel(PropertiesComponent properties, Callable<T> load) {
        try {
            return load.call();
        } catch (Exception e) {
            throw new StartupException("matting.model=" + get(properties, "matting.model") + ": " + ErrorText.of(e), e);
        }
    }

    /**
     * Vert.x reports a port it cannot bind in its log and Camel starts anyway, without HTTP: so the
     * port is tried here first, and a taken one stops start-up.
     */
    private static void requireFreePort(PropertiesComponent properties) {
        if (!Boolean.parseBoolean(properties.resolveProperty("camel.server.enabled").orElse("false"))) {
            return;
        }
        String host = properties.resolveProperty("camel.server.host").orElse("0.0.0.0");
        int port = getInt(properties, "camel.server.port");
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartupException("camel.server.port=" + port + ": cannot listen on " + host + ":" + port + ": "
                    + e.getMessage() + " (another process has it? choose another with --port)", e);
        }
    }

    private static Supplier<Number> queueDepth(CamelContext context, String uri) {
        return () -> context.getEndpoint(uri, SedaEndpoint.class).getCurrentQueueSize();
    }

    private static String get(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElseThrow(() -> new IllegalArgumentException("missing setting " + key));
    }

    private static int getInt(PropertiesComponent properties, String key) {
        return (int) Settings.checkedLong(key, get(properties, key));
    }
}
