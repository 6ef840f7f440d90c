package io.mattepipe.app;

import io.mattepipe.model.StageTimer;
import io.mattepipe.state.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The figures behind {@code GET /metrics} (Prometheus text): time per stage (inference included),
 * failed attempts, queue depths, and tasks per state, counted from SQLite when scraped.
 */
public final class PipelineMetrics implements StageTimer {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> tasksByState = new ConcurrentHashMap<>();
    private final Counter failedAttempts;
    private final Supplier<List<Map<String, Object>>> countTasks;

    /** @param countTasks rows of {@code state, n} over all tasks */
    public PipelineMetrics(Supplier<List<Map<String, Object>>> countTasks) {
        this.countTasks = countTasks;
        failedAttempts = Counter.builder("mattepipe_failed_attempts").description("task attempts that threw (retried or not)")
                .register(registry);
        for (TaskState state : TaskState.values()) {
            AtomicLong count = new AtomicLong();
            tasksByState.put(state.sqlName(), count);
            Gauge.builder("mattepipe_tasks", count, AtomicLong::get).description("tasks in each state, all jobs")
                    .tag("state", state.sqlName()).register(registry);
        }
    }

    @Override
    public void record(String stage, long nanos) {
        stages.computeIfAbsent(stage, name -> Timer.builder("mattepipe_stage").description("time spent per image in a stage")
                .tag("stage", name).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void failedAttempt() {
        failedAttempts.increment();
    }

    /** A queue whose depth is read at every scrape. */
    public void watchQueue(String name, Supplier<Number> depth) {
        Gauge.builder("mattepipe_queue_depth", () -> depth.get()).description("messages waiting in a stage's queue")
                .tag("queue", name).register(registry);
    }

    /** A queue whose consumers, on every node, are counted by the broker at every scrape. */
    public void watchConsumers(String name, Supplier<Number> consumers) {
        Gauge.builder("mattepipe_queue_consumers", () -> consumers.get()).description("consumers of a stage's queue on the broker, all nodes")
                .tag("queue", name).register(registry);
    }

    /** The Prometheus text format, task counts fresh from SQLite. */
    public String scrape() {
        tasksByState.values().forEach(count -> count.set(0));
        for (Map<String, Object> row : countTasks.get()) {
            AtomicLong count = tasksByState.get(String.valueOf(row.get("state")));
            if (count != null) {
                count.set(((Number) row.get("n")).longValue());
            }
        }
        return registry.scrape();
    }
}
