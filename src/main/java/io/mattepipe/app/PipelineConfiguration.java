package io.mattepipe.app;

import io.mattepipe.access.ApiKeys;
import io.mattepipe.access.AuditLog;
import io.mattepipe.access.OidcIssuer;
import io.mattepipe.access.OwnerLimits;
import io.mattepipe.access.Sessions;
import io.mattepipe.access.SignInThrottle;
import io.mattepipe.compare.MatteConfidence;
import io.mattepipe.image.EdgeRefinement;
import io.mattepipe.image.ForegroundEstimator;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.image.RenderOptions;
import io.mattepipe.intake.ArchiveSplitter;
import io.mattepipe.intake.IntakeLimits;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.Cascade;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.ModelEnsemble;
import io.mattepipe.model.ModelSpec;
import io.mattepipe.model.StageTimer;
import io.mattepipe.results.ReportWriter;
import io.mattepipe.state.Clock;
import io.mattepipe.state.Database;
import io.mattepipe.state.WorkerId;
import io.mattepipe.webhook.WebhookDeliveries;
import io.mattepipe.webhook.WebhookSecret;
import io.mattepipe.webhook.WebhookSignature;
import io.vertx.ext.web.client.WebClientOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.commons.dbcp2.BasicDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.sql.DataSource;

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
        int workers = getInt(properties, "matting.workers");
        int batchSize = getInt(properties, "matting.batch-size");
        // a consumer blocks on its own image while its batch gathers: full batches for every run
        // need workers × batch-size consumers
        properties.addInitialProperty("matting.consumers", String.valueOf(workers * batchSize));
        DataLayout layout = new DataLayout(Path.of(get(properties, "data.dir")));
        NodeRole role = NodeRole.of(get(properties, "node.role"));
        String databaseUrl = Database.url(get(properties, "db.url"), layout.database());
        if (role != NodeRole.ALL && Database.Dialect.of(databaseUrl) == Database.Dialect.SQLITE) {
            throw new IllegalArgumentException("NODE_ROLE=" + get(properties, "node.role")
                    + " shares its state with other hosts: set DB_URL=jdbc:postgresql://HOST:5432/DB (SQLite is one process's)");
        }
        Broker broker = connectBroker(context, properties);
        BasicDataSource dataSource;
        try {
            dataSource = Database.open(databaseUrl, get(properties, "db.user"),
                    get(properties, "db.password"), getInt(properties, "db.pool-size"));
        } catch (RuntimeException e) {
            throw new StartupException("db.url: cannot open the database " + Database.describe(databaseUrl) + ": " + ErrorText.of(e), e);
        }
        registry.bind("dataSource", dataSource);
        // bound into the statements: :#${bean:clock.now}, :#${bean:worker.id}
        Clock clock = new Clock(Duration.ofMillis(getLong(properties, "task.lease-ms")));
        registry.bind("clock", clock);
        // recovery takes up only the jobs created before this moment
        properties.addInitialProperty("app.started-at", clock.now());
        WorkerId worker = new WorkerId();
        registry.bind("worker", worker);
        registry.bind("layout", layout);
        Map<String, String> brokerQueues = brokerQueues(context, broker, properties);
        registry.bind("nodeHealth", new NodeHealth(dataSource, broker, role.name().toLowerCase(java.util.Locale.ROOT), brokerQueues));
        // before any route or the HTTP server runs: nothing is writing yet
        new PartialFiles(layout).removeLeftovers();

        int runs = getInt(properties, "matting.runs");
        // a gateway runs no model: it needs only the name jobs record, not the model files nor a GPU
        List<ModelSpec> specs = !role.runsMatting() ? null : loadModel(properties, () -> new ModelCatalog(
                Path.of(get(properties, "matting.models-dir")))
                .resolve(get(properties, "matting.model"), normalize(properties.resolveProperty("matting.normalize").orElse(""))));
        String modelName = specs != null ? String.join("+", specs.stream().map(ModelSpec::name).toList())
                : loadModel(properties, () -> ModelCatalog.name(get(properties, "matting.model")));
        ModelEnsemble model = specs == null ? null : loadModel(properties, () -> ModelEnsemble.load(specs,
                MattingModel.intraOpThreads(getInt(properties, "matting.threads"), runs), get(properties, "matting.device"),
                new MattingModel.Batching(batchSize, Duration.ofMillis(getInt(properties, "matting.batch-wait-ms")), runs),
                Boolean.parseBoolean(get(properties, "matting.spinning")),
                cascade(properties.resolveProperty("matting.cascade-threshold").orElse(""))));
        if (model != null) {
            LOG.info("model {} on {}: {} images in the stage, {} runs at once, {} ONNX Runtime threads each, {} images per run",
                    modelName, get(properties, "matting.device"), workers, runs,
                    MattingModel.intraOpThreads(getInt(properties, "matting.threads"), runs), batchSize);
        }
        ImageDecoder decoder = new ImageDecoder(Long.parseLong(get(properties, "image.max-pixels")));
        ImageEncoder encoder = new ImageEncoder(getInt(properties, "output.png-compression"),
                Float.parseFloat(get(properties, "output.jpeg-quality")),
                Boolean.parseBoolean(get(properties, "output.webp-lossless")), Float.parseFloat(get(properties, "output.webp-quality")));

        TaskQueries queries = new TaskQueries(context.createProducerTemplate(), getInt(properties, "db.page-size"));
        registry.bind("taskQueries", queries);
        PipelineMetrics metrics = new PipelineMetrics(queries::countsByState);
        registry.bind("pipelineMetrics", metrics);
        Supplier<Number> splitDepth = queueDepth(context, broker, get(properties, "queue.split"));
        Supplier<Number> mattingDepth = queueDepth(context, broker, get(properties, "queue.matting"));
        Supplier<Number> compareDepth = queueDepth(context, broker, get(properties, "queue.compare"));
        metrics.watchQueue("matting", mattingDepth);
        metrics.watchQueue("compare", compareDepth);
        brokerQueues.forEach((stage, queue) -> metrics.watchConsumers(stage, () -> broker.queue(queue).consumers()));
        // the bench binds its own timer before start-up; the service reports through /metrics
        StageTimer bound = registry.lookupByNameAndType("stageTimer", StageTimer.class);
        StageTimer timer = bound != null ? bound : metrics;
        context.getManagementStrategy().addEventNotifier(new StateWriteTimer(timer));
        DatabaseOutage outage = new DatabaseOutage();
        registry.bind("databaseOutage", outage);
        context.getManagementStrategy().addEventNotifier(outage);
        // HTTP edge: control bytes refused and HEAD served before any route; only documented
        // headers go out (camel.component.platform-http.header-filter-strategy=#apiHeaders)
        HeadRequests heads = new HeadRequests();
        context.addRoutePolicyFactory(heads);
        AccessControl access = accessControl(context, properties, dataSource, clock, role);
        context.getManagementStrategy().addEventNotifier(new RequestHygiene(heads, access));
        registry.bind("apiHeaders", new ApiHeaders());
        OwnerLimits limits = new OwnerLimits(dataSource, new OwnerLimits.Settings(getInt(properties, "limits.jobs-at-once"),
                getInt(properties, "limits.uploads-per-minute"), getLong(properties, "limits.bytes-kept")));

        CallbackAddresses callbacks = new CallbackAddresses(Boolean.parseBoolean(get(properties, "callback.allow-private")));
        registry.bind("callbackAddresses", callbacks);
        registry.bind("callbackClientOptions", new WebClientOptions().setFollowRedirects(false).setConnectTimeout(10_000));
        long callbackTimeoutMs = getLong(properties, "callback.timeout-ms");
        registry.bind("webhooks", new WebhookDeliveries(dataSource, clock, new WebhookDeliveries.Policy(
                getInt(properties, "callback.max-attempts"), Duration.ofMillis(getLong(properties, "callback.backoff-ms")),
                Duration.ofMillis(getLong(properties, "callback.max-backoff-ms")),
                // a sender that died mid-call leaves the event to another once its call would have timed out
                Duration.ofMillis(2 * callbackTimeoutMs), 100),
                new WebhookSignature(WebhookSecret.resolve(dataSource, clock, get(properties, "callback.secret")))));
        Map<String, Map<String, String>> presets = presets(properties);
        JobIntake intake = new JobIntake(layout, modelName, get(properties, "matting.model"), callbacks,
                get(properties, "auth.inbox-owner"));
        registry.bind("jobIntake", intake);
        UploadReceiver uploads = new UploadReceiver(layout, new UploadReceiver.Limits(
                Long.parseLong(get(properties, "upload.max-bytes")), getInt(properties, "upload.max-concurrent"),
                getInt(properties, "upload.max-per-client"), Long.parseLong(get(properties, "upload.idle-timeout-ms"))),
                (query, caller, declaredBytes) -> {
                    limits.admitUpload(caller, declaredBytes);
                    Map<String, Object> job = intake.withRenderOptions(intake.newJob("upload", query.get("filename"),
                            query.get("model"), query.get("format"), query.get("bgcolor") != null || query.get("background") == null
                                    ? query.get("bgcolor") : JobIntake.bgcolor(query.get("background")),
                            query.get("mask_only"), query.get("callback_url")), query::get, presets);
                    job.put("owner", caller.name());
                    job.put("client", caller.client());
                    return job;
                });
        registry.bind("uploadReceiver", uploads);
        registry.bind("uploadStreaming", new UploadStreaming(uploads, "/upload"));
        registry.bind("jobSplitter", new JobSplitter(new ArchiveSplitter(IntakeLimits.defaults()), layout));
        registry.bind("applicationStopping", new ApplicationStopping());
        // one budget for both stages: they decode into the same heap
        PixelBudget budget = PixelBudget.of(Long.parseLong(get(properties, "image.memory-budget-pixels")));
        if (model != null) {
            registry.bind("mattingModel", model);
            registry.bind("mattingStage", new MattingStage(new BackgroundRemover(decoder, model, encoder, timer,
                    foregroundEstimator(properties)), layout, decoder, budget, timer));
        }
        registry.bind("comparisonStage", new ComparisonStage(decoder, encoder, layout,
                getInt(properties, "compare.panel-width"), timer, budget));
        registry.bind("jobViews", new JobViews());
        registry.bind("taskReview", new TaskReview(Double.parseDouble(get(properties, "review.threshold"))));
        registry.bind("matteVersions", new MatteVersions(layout, decoder, encoder,
                new EdgeRefinement(getInt(properties, "refine.radius"), Double.parseDouble(get(properties, "refine.epsilon"))), budget,
                foregroundEstimator(properties)));
        registry.bind("webAssets", new WebAssets());

        ExecutorService zipWriters = context.getExecutorServiceManager().newCachedThreadPool(this, "results-zip");
        registry.bind("jobResults", new JobResults(queries, layout, new ReportWriter(5_000), zipWriters));
        registry.bind("pipelineIdle", new PipelineIdle(context, List.of(splitDepth, mattingDepth, compareDepth)));
        long sweepMs = getLong(properties, "recovery.sweep-ms");
        long leaseMs = getLong(properties, "recovery.lease-ms");
        if (leaseMs <= sweepMs) {
            // the holder would lose the lease between two of its own sweeps, and the gateways take turns
            throw new StartupException("recovery.lease-ms=" + leaseMs + " must be longer than recovery.sweep-ms=" + sweepMs
                    + " (the holder renews it at every sweep): e.g. recovery.lease-ms=" + 3 * sweepMs);
        }
        registry.bind("sweepLease", new SweepLease(clock, Duration.ofMillis(leaseMs), worker.process()));
        registry.bind("taskRenditions", new TaskRenditions(layout, decoder, encoder, queries, zipWriters,
                presets));
        registry.bind("failedAttemptRecorder", new FailedAttemptRecorder(context.createProducerTemplate(), metrics));

        // Camel's redelivery counts retries, the setting counts tries
        properties.addInitialProperty("retry.max-redeliveries", String.valueOf(getInt(properties, "retry.max-attempts") - 1));

        context.addStartupListener(new AbortBrokenResponses());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                if (model != null) {
                    model.close();
                }
                Database.close(dataSource);
                if (broker != null) {
                    broker.close();
                }
            }
        });
    }

    /** The presets {@code render.presets} names ({@code render.preset.NAME}); a bad or missing one stops start-up. */
    private static Map<String, Map<String, String>> presets(PropertiesComponent properties) {
        try {
            return RenderOptions.presets(get(properties, "render.presets"), key -> properties.resolveProperty(key).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new StartupException("setting " + e.getMessage());
        }
    }

    /** {@code output.foreground-estimation}: the estimator, or null to keep the photo's colours at soft edges. */
    private static ForegroundEstimator foregroundEstimator(PropertiesComponent properties) {
        return Boolean.parseBoolean(get(properties, "output.foreground-estimation")) ? ForegroundEstimator.standard() : null;
    }

    /**
     * Who may use the HTTP API (README, "Access"): API keys and sessions in the database, the
     * OpenID Connect issuer when one is configured, the audit trail, and the first admin key of a
     * service that listens beyond loopback with neither key nor issuer (Jupyter's way).
     */
    private static AccessControl accessControl(CamelContext context, PropertiesComponent properties,
                                               DataSource dataSource, Clock clock, NodeRole role) {
        ApiKeys keys = new ApiKeys(dataSource, clock);
        AuditLog audit = new AuditLog(dataSource, clock);
        OidcIssuer issuer = get(properties, "auth.oidc.issuer").isBlank() ? null : new OidcIssuer(new OidcIssuer.Settings(
                get(properties, "auth.oidc.issuer"), get(properties, "auth.oidc.audience"),
                get(properties, "auth.oidc.client-id"), get(properties, "auth.oidc.client-secret"),
                get(properties, "auth.oidc.owner-claim"), get(properties, "auth.oidc.roles-claim"),
                get(properties, "auth.oidc.admin-role")));
        boolean tls = ServerTls.configure(context, get(properties, "server.tls.cert-file"), get(properties, "server.tls.key-file"));
        ClientAddresses clients = new ClientAddresses(get(properties, "http.trusted-proxies"), tls);
        Sessions sessions = new Sessions(dataSource, clock, keys, Duration.ofHours(getLong(properties, "auth.session-hours")));
        SignInThrottle throttle = new SignInThrottle(getInt(properties, "auth.max-failures"),
                Duration.ofMillis(getLong(properties, "auth.failure-window-ms")));
        context.getRegistry().bind("callers", new Callers());
        context.getRegistry().bind("auditLog", audit);
        String host = properties.resolveProperty("camel.server.host").orElse("127.0.0.1");
        if (role != NodeRole.WORKER && issuer == null && !ClientAddresses.isLoopback(host)) {
            FirstAdminKey.createIfNone(keys, audit, host, getInt(properties, "camel.server.port"), tls);
        }
        return new AccessControl(keys, sessions, issuer, throttle, audit, clients, tls);
    }

    /** {@code matting.cascade-threshold}: blank for no cascade (every model on every image). */
    public static Cascade cascade(String setting) {
        return setting.isBlank() ? null : new Cascade(Double.parseDouble(setting.trim()), MatteConfidence::ofOne);
    }

    /** {@code matting.normalize}: blank for each model's own descriptor, or true/false for all. */
    public static Boolean normalize(String setting) {
        return setting.isBlank() ? null : Boolean.valueOf(setting.trim());
    }

    /**
     * Cluster mode ({@code broker.url} set): camel-jms on a pooled connection to the broker, for the
     * {@code jms:} queue URIs of the profile {@code cluster}.
     */
    private static Broker connectBroker(CamelContext context, PropertiesComponent properties) {
        String url = get(properties, "broker.url");
        boolean jmsQueues = get(properties, "queue.matting").startsWith("jms:");
        if (url.isBlank()) {
            if (jmsQueues) {
                throw new IllegalArgumentException("the queues are on a broker (profile cluster): set BROKER_URL=tcp://HOST:61616");
            }
            return null;
        }
        Broker broker = Broker.connect(url, get(properties, "broker.user"), get(properties, "broker.password"));
        context.addComponent("jms", JmsComponent.jmsComponent(broker.connectionFactory()));
        return broker;
    }

    /** The broker's queue of each stage (split, matting, compare) that is on the broker; none on a single node. */
    private static Map<String, String> brokerQueues(CamelContext context, Broker broker, PropertiesComponent properties) {
        Map<String, String> queues = new LinkedHashMap<>();
        if (broker != null) {
            for (String stage : List.of("split", "matting", "compare")) {
                if (context.getEndpoint(get(properties, "queue." + stage)) instanceof JmsEndpoint jms) {
                    queues.put(stage, jms.getDestinationName());
                }
            }
        }
        return queues;
    }

    /** A queue's depth at each scrape: SEDA's in memory, or the broker's. */
    private static Supplier<Number> queueDepth(CamelContext context, Broker broker, String uri) {
        return () -> {
            Endpoint endpoint = context.getEndpoint(uri);
            if (endpoint instanceof SedaEndpoint seda) {
                return seda.getCurrentQueueSize();
            } else if (endpoint instanceof JmsEndpoint jms && broker != null) {
                return broker.depth(jms.getDestinationName());
            }
            return Double.NaN;
        };
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

    private static String get(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElseThrow(() -> new IllegalArgumentException("missing setting " + key));
    }

    private static int getInt(PropertiesComponent properties, String key) {
        return (int) Settings.checkedLong(key, get(properties, key));
    }

    private static long getLong(PropertiesComponent properties, String key) {
        return Settings.checkedLong(key, get(properties, key));
    }
}
