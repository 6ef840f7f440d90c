package io.mattepipe.app;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Runs when a task's attempt throws, before the error handler decides on a retry: records the
 * attempt as {@code failed} with its error and {@code retry_count}, as DESIGN.md's states ask, and
 * leaves the error in the {@code error} header for the dead-letter route.
 *
 * <p>The record can fail too (the database busy, locked or full: often what failed the attempt).
 * Camel ignores what an {@code onExceptionOccurred} processor throws, so the failure is logged here
 * with its job and task. The task is not lost: it keeps the state its claim gave it, the retry's
 * claim refuses it as taken, and the stall sweep queues it again once the pipeline is idle.
 */
public final class FailedAttemptRecorder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailedAttemptRecorder.class);

    private final ProducerTemplate template;
    private final PipelineMetrics metrics;

    public FailedAttemptRecorder(ProducerTemplate template, PipelineMetrics metrics) {
        this.template = template;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        if (DatabaseBusy.isBusy(failure)) {
            // no attempt failed: the database is away, and the step is tried again until it answers
            return;
        }
        metrics.failedAttempt();
        Map<?, ?> task = exchange.getMessage().getBody() instanceof Map<?, ?> row ? row : Map.of();
        String error = task.isEmpty() ? ErrorText.of(failure) : ErrorText.ofTask(failure, text(task, "chunk"), text(task, "name"));
        exchange.getMessage().setHeader(PipelineHeaders.ERROR, error);
        Exchange record = exchange.copy();
        record.setException(null);
        template.send("direct:recordFailedAttempt", record);
        if (record.getException() != null) {
            LOG.error("job {} task {}: its failed attempt ({}) could not be recorded: {}; the stall sweep queues it again",
                    text(task, "job_id"), text(task, "task_id"), error, ErrorText.of(record.getException()));
        }
    }

    private static String text(Map<?, ?> task, String column) {
        Object value = task.get(column);
        return value == null ? null : value.toString();
    }
}
