package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed attempt whose record cannot be written (the database refused it) is not swallowed: the
 * log names its job and task, and the task is not lost: the stall sweep queues it again and it
 * completes.
 */
class FailedAttemptRecorderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private RunningApp app;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender = new AbstractAppender("recorder-test", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            logged.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }
    };
    private final org.apache.logging.log4j.core.Logger logger =
            LoggerContext.getContext(false).getLogger(FailedAttemptRecorder.class.getName());

    @AfterEach
    void stop() {
        logger.removeAppender(appender);
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aFailedAttemptThatCannotBeRecordedIsLoggedWithItsTaskAndTheSweepFinishesIt() throws Exception {
        appender.start();
        logger.addAppender(appender);
        app = RunningApp.start(root.resolve("data"), Map.of("inbox.enabled", "false"));
        AtomicReference<String> failedTask = new AtomicReference<>();
        AdviceWith.adviceWith(app.context(), "matting-attempt", route -> route.weaveById("matting-model").before()
                .process(exchange -> {
                    String task = exchange.getMessage().getBody(Map.class).get("task_id").toString();
                    if (failedTask.compareAndSet(null, task)) {
                        throw new IOException("the first try of " + task + " fails");
                    }
                }));
        AdviceWith.adviceWith(app.context(), "record-failed-attempt", route -> route.weaveById("failed-attempt-record").before()
                .process(exchange -> {
                    throw new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)");
                }));
        NotifyBuilder finished = new NotifyBuilder(app.context()).wereSentTo("direct:jobFinished").whenDone(1).create();
        Path zip = root.resolve("three.zip");
        TestArchives.zip(zip, Map.of("a.png", TestArchives.image("png", 40, 30), "b.png", TestArchives.image("png", 40, 30),
                "c.png", TestArchives.image("png", 40, 30)));
        String job = app.upload(zip, "three.zip");
        assertTrue(finished.matches(60, TimeUnit.SECONDS), "the task whose failure went unrecorded was lost: "
                + app.get("/jobs/" + job + "/tasks").body());

        JsonNode status = JSON.readTree(app.get("/status/" + job).body());
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertEquals(3, status.get("completed").asInt(), status.toString());
        String unrecorded = "ERROR job " + job + " task " + failedTask.get() + ": its failed attempt";
        assertTrue(logged.stream().anyMatch(line -> line.startsWith(unrecorded) && line.contains("could not be recorded")
                && line.contains("database is locked")), "not in the log: " + unrecorded + "; logged: " + logged);
    }
}
