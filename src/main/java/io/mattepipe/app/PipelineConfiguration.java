package io.mattepipe.app;

import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.intake.ArchiveSplitter;
import io.mattepipe.intake.IntakeLimits;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.ModelEnsemble;
import io.mattepipe.model.ModelSpec;
import io.mattepipe.model.StageTimer;
import io.mattepipe.results.ReportWriter;
import io.mattepipe.state.Clock;
import io.mattepipe.state.Database;
import io.mattepipe.state.WorkerId;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The beans the routes call, built once from {@code application.properties} and bound to the
 * registry by name, in dependency order: one data source, one shared model, the stage beans.
 */
public final class PipelineConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Registry registry = context.getRegistry();

        DataLayout layout = new DataLayout(Path.of(get(properties, "data.dir")));
        BasicDataSource dataSource = Database.open(databaseUrl(properties, layout), get(properties, "db.user"),
                get(properties, "db.password"), getInt(properties, "db.pool-size"));
        registry.bind("dataSource", dataSource);
        // bound into the statements: :#${bean:clock.now}, :#${bean:worker.id}
        registry.bind("clock", new Clock(Duration.ofMillis(getLong(properties, "task.lease-ms"))));
        registry.bind("worker", new WorkerId());
        registry.bind("layout", layout);
        // before any route or the HTTP server runs: nothing is writing yet
        new PartialFiles(layout).removeLeftovers();

        List<ModelSpec> specs = new ModelCatalog(Path.of(get(properties, "matting.models-dir")))
                .resolve(get(properties, "matting.model"), normalize(properties.resolveProperty("matting.normalize").orElse("")));
        int workers = getInt(properties, "matting.workers");
        int runs = getInt(properties, "matting.runs");
        int batchSize = getInt(properties, "matting.batch-size");
        // a consumer blocks on its own image while its batch gathers: full batches for every run
        // need workers × batch-size consumers
        properties.addInitialProperty("matting.consumers", String.valueOf(workers * batchSize));
        ModelEnsemble model = ModelEnsemble.load(specs,
                MattingModel.intraOpThreads(getInt(properties, "matting.threads"), runs), get(properties, "matting.device"),
                new MattingModel.Batching(batchSize, Duration.ofMillis(getInt(properties, "matting.batch-wait-ms")), runs));
        registry.bind("mattingModel", model);
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

        JobIntake intake = new JobIntake(layout, model.name(), get(properties, "matting.model"));
        registry.bind("jobIntake", intake);
        UploadReceiver uploads = new UploadReceiver(layout, new UploadReceiver.Limits(
                Long.parseLong(get(properties, "upload.max-bytes")), getInt(properties, "upload.max-concurrent"),
                getInt(properties, "upload.max-per-client"), Long.parseLong(get(properties, "upload.idle-timeout-ms"))),
                query -> intake.newJob("upload", query.get("filename"), query.get("model"), query.get("format"),
                        query.get("bgcolor"), query.get("mask_only"), query.get("callback_url")));
        registry.bind("uploadReceiver", uploads);
        registry.bind("uploadStreaming", new UploadStreaming(uploads, "/upload"));
        registry.bind("jobSplitter", new JobSplitter(new ArchiveSplitter(IntakeLimits.defaults()), layout));
        registry.bind("mattingStage", new MattingStage(new BackgroundRemover(decoder, model, encoder, timer), layout));
        registry.bind("comparisonStage", new ComparisonStage(decoder, encoder, layout,
                getInt(properties, "compare.panel-width"), timer));
        registry.bind("jobViews", new JobViews());
        registry.bind("webAssets", new WebAssets());

        ExecutorService zipWriters = context.getExecutorServiceManager().newCachedThreadPool(this, "results-zip");
        registry.bind("jobResults", new JobResults(queries, layout, new ReportWriter(5_000), zipWriters));
        registry.bind("failedAttemptRecorder", new FailedAttemptRecorder(context.createProducerTemplate(), metrics));

        // Camel's redelivery counts retries, the setting counts tries
        properties.addInitialProperty("retry.max-redeliveries", String.valueOf(getInt(properties, "retry.max-attempts") - 1));

        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                model.close();
                Database.close(dataSource);
            }
        });
    }

    /** {@code matting.normalize}: blank for each model's own descriptor, or true/false for all. */
    public static Boolean normalize(String setting) {
        return setting.isBlank() ? null : Boolean.valueOf(setting.trim());
    }

    private static Supplier<Number> queueDepth(CamelContext context, String uri) {
        return () -> context.getEndpoint(uri, SedaEndpoint.class).getCurrentQueueSize();
    }

    /** {@code db.url}, or SQLite in the data folder when it is not set. */
    private static String databaseUrl(PropertiesComponent properties, DataLayout layout) {
        String url = get(properties, "db.url");
        return url.isBlank() ? "jdbc:sqlite:" + layout.database().toAbsolutePath() : url;
    }

    private static String get(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElseThrow(() -> new IllegalArgumentException("missing setting " + key));
    }

    private static int getInt(PropertiesComponent properties, String key) {
        return Integer.parseInt(get(properties, key));
    }

    private static long getLong(PropertiesComponent properties, String key) {
        return Long.parseLong(get(properties, key));
    }
}
