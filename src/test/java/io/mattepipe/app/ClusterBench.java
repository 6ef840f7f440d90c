package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster-mode figures for BENCHMARKS.md, not tests.
 *
 * <p>{@code mvn test -Dtest=ClusterBench -Dbench.cluster=TASKS}: a gateway and one, then two, worker
 * JVMs on the embedded broker and the test PostgreSQL; TASKS generated 64×64 PNGs through the tiny
 * 64×64 model, so that what is measured is the orchestration (broker, database, files), as in
 * {@code bench --orchestration}. Prints per run: tasks/s from the job's creation to its recorded
 * finish, and the CPU time each JVM used (the broker's is the test JVM's).
 *
 * <p>{@code mvn test -Dtest=ClusterBench -Dbench.broker=MESSAGES}: the broker's own cost per task
 * message, against SEDA's: MESSAGES task rows sent one by one (as the split sends them) through
 * camel-jms with the profile cluster's options (persistent send; transacted consumer, committed per
 * message) on the embedded broker, then through {@code seda:}; microseconds per message, wall
 * clock and CPU (client and broker together, one JVM).
 */
class ClusterBench {

    @TempDir
    Path root;

    @Test
    @EnabledIfSystemProperty(named = "bench.cluster", matches = "\\d+")
    void tasksPerSecondWithOneAndTwoWorkers() throws Exception {
        int tasks = Integer.parseInt(System.getProperty("bench.cluster"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < tasks; i++) {
            entries.put(String.format("img%06d.png", i), TestArchives.image("png", 64, 64));
        }
        Path upload = root.resolve("bench.zip");
        TestArchives.zip(upload, entries);
        for (int workers : new int[] {1, 2}) {
            run(upload, tasks, workers, root.resolve("run" + workers));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "bench.broker", matches = "\\d+")
    void brokerCostPerTaskMessageAgainstSeda() throws Exception {
        int messages = Integer.parseInt(System.getProperty("bench.broker"));
        try (TestBroker server = TestBroker.start(root.resolve("broker")); Broker broker = Broker.connect(server.url, "", "")) {
            String options = "disableReplyTo=true&transacted=true&lazyCreateTransactionManager=false&exposeListenerSession=false";
            measure("broker (persistent, transacted)", "jms:queue:bench.matting?" + options + "&concurrentConsumers=1",
                    "jms:queue:bench.matting?disableReplyTo=true", messages, broker);
            String seda = "seda:bench?size=64&blockWhenFull=true&concurrentConsumers=1";
            measure("seda (bounded, blocking, as a single node)", seda, seda, messages, null);
        }
    }

    /** Sends a warm-up of 2,000 messages, then {@code messages} timed, one by one from one thread; prints µs per message. */
    private static void measure(String what, String consumerUri, String producerUri, int messages, Broker broker) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            if (broker != null) {
                camel.addComponent("jms", JmsComponent.jmsComponent(broker.connectionFactory()));
            }
            CountDownLatch[] received = {new CountDownLatch(2_000)};
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(consumerUri).routeId("bench").process(exchange -> received[0].countDown());
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            send(template, producerUri, 2_000);
            assertTrue(received[0].await(10, TimeUnit.MINUTES), "warm-up received");
            received[0] = new CountDownLatch(messages);
            long cpuBefore = processCpuNanos();
            long start = System.nanoTime();
            send(template, producerUri, messages);
            assertTrue(received[0].await(30, TimeUnit.MINUTES), "all received");
            long wall = System.nanoTime() - start;
            long cpu = processCpuNanos() - cpuBefore;
            System.out.printf("broker bench: %s: %d messages, %.0f µs per message (wall), %.0f µs CPU per message;"
                            + " load average %s%n", what, messages, wall / 1e3 / messages, cpu / 1e3 / messages, loadAverage());
        }
    }

    /** The task row the split sends (its columns and the job's options), ~300 bytes as text. */
    private static void send(ProducerTemplate template, String uri, int count) {
        for (int i = 0; i < count; i++) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("job_id", "6f1c2a0e-3b7d-4e8a-9c55-0d2f8e4b7a91");
            task.put("task_id", String.format("%08d", i));
            task.put("name", String.format("holiday/2026/IMG_%06d.jpg", i));
            task.put("output_name", String.format("IMG_%06d", i));
            task.put("chunk", String.format("input/6f1c2a0e-3b7d-4e8a-9c55-0d2f8e4b7a91/chunks/%08d.jpg", i));
            task.put("state", "pending");
            task.put("error", null);
            task.put("format", "png");
            task.put("bgcolor", null);
            task.put("mask_only", 0);
            task.put("callback_url", null);
            template.sendBody(uri, task);
        }
    }

    private void run(Path upload, int tasks, int workers, Path dir) throws Exception {
        List<ChildApp> nodes = new ArrayList<>();
        try (TestCluster cluster = TestCluster.start(dir)) {
            Map<String, String> settings = cluster.nodeSettings("gateway");
            settings.put("matting.model", Path.of("src/test/resources/models/tiny-matting-64.onnx").toAbsolutePath().toString());
            settings.put("compare.panel-width", "192");
            settings.put("matting.workers", "2");
            settings.put("compare.workers", "2");
            Path logs = Files.createDirectories(Path.of("target", "cluster-logs"));
            ChildApp gateway = ChildApp.start(dir.resolve("data"), "512m", logs.resolve("bench-gateway.log"), settings,
                    List.of("--profile", "cluster"));
            nodes.add(gateway);
            settings.put("node.role", "worker");
            for (int i = 0; i < workers; i++) {
                nodes.add(ChildApp.start(dir.resolve("data"), "512m", logs.resolve("bench-worker" + i + ".log"), settings,
                        List.of("--profile", "cluster")));
            }
            List<Duration> cpuBefore = nodes.stream().map(ChildApp::cpu).toList();
            long brokerCpuBefore = processCpuNanos();
            HttpResponse<String> accepted = gateway.http.send(HttpRequest.newBuilder(gateway.uri("/upload?filename=bench.zip"))
                    .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
            JsonNode done = gateway.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofMinutes(30));
            assertEquals(tasks, done.get("completed").asInt(), done.toString());
            Duration took = Duration.between(Instant.parse(done.get("created_at").asText()), Instant.parse(done.get("finished_at").asText()));
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                double seconds = nodes.get(i).cpu().minus(cpuBefore.get(i)).toMillis() / 1000.0;
                cpu.append(String.format(" %s %.1f s (%.2f ms/task);", i == 0 ? "gateway" : "worker" + i, seconds, seconds * 1000 / tasks));
            }
            double brokerSeconds = (processCpuNanos() - brokerCpuBefore) / 1e9;
            System.out.printf("cluster bench: %d tasks, %d worker JVM(s): %.1f tasks/s; CPU:%s broker (test JVM) %.1f s (%.2f ms/task);"
                            + " load average %s%n", tasks, workers, tasks / (took.toMillis() / 1000.0), cpu, brokerSeconds,
                    brokerSeconds * 1000 / tasks, loadAverage());
        } finally {
            for (ChildApp node : nodes) {
                node.kill();
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
