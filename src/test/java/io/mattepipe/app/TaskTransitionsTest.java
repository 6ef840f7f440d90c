package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-task state changes as the routes group them: one INSERT in the split (the task goes in
 * already dispatched), one UPDATE when matting ends (the comparison claims the task from there).
 * Every task still passes each step in order and ends with all its figures, and the job completes
 * (a task that ends while its job is still splitting skips the completion check: the split's end runs it);
 * a job cancelled while it splits stops the split, and no task joins it after the cancel.
 */
class TaskTransitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATEMENT = Pattern.compile("sql/([a-z-]+)\\.sql");

    @TempDir
    Path root;

    @Test
    void everyTaskIsRecordedAtEachStepAndTheJobCompletes() throws Exception {
        int images = 12;
        try (RunningApp app = RunningApp.start(root.resolve("data"),
                Map.of("inbox.enabled", "false", "matting.workers", "2", "compare.workers", "2"))) {
            // the split waits before its last task until a first task has ended, completion check
            // step included: that task ends while its job is still splitting
            CountDownLatch firstCompleted = new CountDownLatch(1);
            AdviceWith.adviceWith(app.context(), "split", route -> route.weaveByToUri("sql:classpath:sql/task-insert.sql*")
                    .before().process(exchange -> {
                        if (exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) == images - 1) {
                            assertTrue(firstCompleted.await(30, TimeUnit.SECONDS), "no task completed while the split ran");
                        }
                    }));
            AdviceWith.adviceWith(app.context(), "compare", route -> route.weaveByToUri("direct:jobProgressed")
                    .after().process(exchange -> firstCompleted.countDown()));
            Map<String, List<String>> statements = statementsByTask(app);
            NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
            String job = upload(app, images);
            assertTrue(finished.matches(60, TimeUnit.SECONDS), "the job did not finish");

            JsonNode status = JSON.readTree(app.get("/status/" + job).body());
            assertEquals("completed", status.get("state").asText(), status.toString());
            assertEquals(images, status.get("counts").get("completed").asInt(), status.toString());
            List<JsonNode> tasks = tasks(app, job);
            assertEquals(images, tasks.size());
            List<String> transitions = List.of("task-insert", "task-processing", "task-matting-done", "task-comparing",
                    "task-completed");
            List<String> checkedAfter = new ArrayList<>(transitions);
            checkedAfter.add("job-complete-if-done");
            int checked = 0;
            for (JsonNode task : tasks) {
                String id = task.get("task_id").asText();
                List<String> sent = statements.get(id);
                // the completion check follows a task only once its job's split has ended: before,
                // the job cannot be complete, and the split's end checks it
                assertEquals(transitions, sent.subList(0, Math.min(sent.size(), transitions.size())),
                        "the statements of task " + id + " in order");
                assertTrue(sent.equals(transitions) || sent.equals(checkedAfter),
                        "the statements of task " + id + ": " + sent);
                checked += sent.size() - transitions.size();
                assertEquals("completed", task.get("state").asText(), task.toString());
                // what each step writes: matting's figures, the comparison's, the claim's holder and times
                for (String column : List.of("matting_ms", "width", "height", "compare_ms", "fg_fraction", "worker_id",
                        "start_time", "end_time")) {
                    assertFalse(task.get(column).isNull(), column + " not recorded: " + task);
                }
                assertEquals(1, task.get("attempts").asInt(), "one comparison try: " + task);
            }
            assertTrue(checked < images, "every task ran the completion check, though one ended while the split ran");
        }
    }

    @Test
    void aJobCancelledWhileItSplitsTakesNoMoreTasks() throws Exception {
        int images = 12;
        CountDownLatch release = new CountDownLatch(1);
        // one consumer and a queue of one: with the first image held in the model, the split blocks
        // on its third task, long before its last
        try (RunningApp app = RunningApp.start(root.resolve("data"), Map.of("inbox.enabled", "false", "matting.workers", "1",
                "matting.queue-size", "1"))) {
            CountDownLatch inModel = new CountDownLatch(1);
            AdviceWith.adviceWith(app.context(), "matting-attempt", route -> route.weaveById("matting-model").before()
                    .process(exchange -> {
                        inModel.countDown();
                        release.await();
                    }));
            Map<String, List<String>> statements = statementsByTask(app);
            // the split's own exchange, not one of the per-image ones it makes
            NotifyBuilder splitEnded = new NotifyBuilder(app.context()).fromRoute("split")
                    .filter(exchange -> exchange.getProperty(Exchange.SPLIT_INDEX) == null).whenDone(1).create();
            String job = upload(app, images);
            assertTrue(inModel.await(30, TimeUnit.SECONDS), "no image reached the model");

            HttpResponse<String> cancelled = app.post("/jobs/" + job + "/cancel");
            assertEquals(200, cancelled.statusCode(), cancelled.body());
            release.countDown();
            assertTrue(splitEnded.matches(30, TimeUnit.SECONDS), "the split did not stop");

            List<JsonNode> tasks = tasks(app, job);
            assertTrue(tasks.size() < images, "tasks joined the job after the cancel: " + tasks.size() + " tasks");
            // the split stopped at the first task the cancelled job refused, rather than offering it the rest
            long offered = statements.values().stream().filter(sent -> sent.contains("task-insert")).count();
            assertEquals(tasks.size() + 1, offered, "tasks offered to the job by the split");
            for (JsonNode task : tasks) {
                assertEquals("cancelled", task.get("state").asText(), task.toString());
            }
            assertEquals("cancelled", JSON.readTree(app.get("/status/" + job).body()).get("state").asText());
        } finally {
            release.countDown();
        }
    }

    /** The statements under sql/ that the routes send, in order, per task (by the task_id of the message). */
    private static Map<String, List<String>> statementsByTask(RunningApp app) throws Exception {
        Map<String, List<String>> byTask = new ConcurrentHashMap<>();
        EventNotifierSupport recorder = new EventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeSentEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                CamelEvent.ExchangeSentEvent sent = (CamelEvent.ExchangeSentEvent) event;
                Matcher statement = STATEMENT.matcher(sent.getEndpoint().getEndpointUri());
                if (statement.find() && sent.getExchange().getMessage().getBody() instanceof Map<?, ?> body
                        && body.get("task_id") != null) {
                    byTask.computeIfAbsent(body.get("task_id").toString(), id -> Collections.synchronizedList(new ArrayList<>()))
                            .add(statement.group(1));
                }
            }
        };
        ServiceHelper.startService(recorder);
        app.context().getManagementStrategy().addEventNotifier(recorder);
        return byTask;
    }

    private static String upload(RunningApp app, int images) throws Exception {
        Path zip = app.dataDir.resolveSibling("job.zip");
        TestArchives.zip(zip, TestArchives.numberedImages(images, 40, 30));
        return app.upload(zip, "job.zip");
    }

    private static List<JsonNode> tasks(RunningApp app, String job) throws Exception {
        List<JsonNode> tasks = new ArrayList<>();
        JSON.readTree(app.get("/jobs/" + job + "/tasks?limit=1000").body()).get("tasks").forEach(tasks::add);
        return tasks;
    }
}
