package io.mattepipe.app;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

import java.util.Map;

/**
 * Runs when a task's attempt throws, before the error handler decides on a retry: records the
 * attempt as {@code failed} with its error and {@code retry_count}, as DESIGN.md's states ask, and
 * leaves the error in the {@code error} header for the dead-letter route.
 */
public final class FailedAttemptRecorder implements Processor {

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
        metrics.failedAttempt();
        String error = exchange.getMessage().getBody() instanceof Map<?, ?> task
                ? ErrorText.ofTask(failure, text(task, "chunk"), text(task, "name")) : ErrorText.of(failure);
        exchange.getMessage().setHeader("error", error);
        Exchange record = exchange.copy();
        record.setException(null);
        template.send("sql:classpath:sql/task-failed-attempt.sql", record);
    }

    private static String text(Map<?, ?> task, String column) {
        Object value = task.get(column);
        return value == null ? null : value.toString();
    }
}
