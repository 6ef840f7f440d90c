package io.mattepipe.app;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The database as the routes' statements find it. A statement that fails because the database is
 * away (unreachable, or locked or busy past its timeout: {@link DatabaseBusy}) is no task's fault:
 * the task routes keep its message and try the step again ({@link #isOutage}), so a node logs one
 * warning when the outage starts and one line when a statement that failed succeeds again, not a
 * stack trace per message. Only a statement that failed counts as the sign it is back: while
 * another process locks SQLite, reads still succeed and writes do not.
 */
public final class DatabaseOutage extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);

    private final Set<String> failing = new HashSet<>();
    private long since;

    /** Whether {@code failure} says the database is away, not that the statement or its task is wrong. */
    public boolean isOutage(Throwable failure) {
        return DatabaseBusy.isBusy(failure);
    }

    /** Whether a statement has failed for want of the database and none of those has succeeded since. */
    public synchronized boolean isDown() {
        return !failing.isEmpty();
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSentEvent sent && sent.getEndpoint().getEndpointUri().startsWith("sql:");
    }

    @Override
    public void notify(CamelEvent event) {
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        Exchange exchange = sent.getExchange();
        String statement = sent.getEndpoint().getEndpointUri();
        if (exchange.getException() == null) {
            succeeded(statement);
        } else if (isOutage(exchange.getException())) {
            failed(statement, exchange.getException());
        }
    }

    synchronized void failed(String statement, Throwable failure) {
        if (failing.isEmpty()) {
            since = System.nanoTime();
            LOG.warn("the database is away ({}): tasks wait for it and move again once it answers", ErrorText.of(failure));
        }
        failing.add(statement);
    }

    synchronized void succeeded(String statement) {
        if (failing.contains(statement)) {
            failing.clear();
            LOG.info("the database is back after {} s", Duration.ofNanos(System.nanoTime() - since).toSeconds());
        }
    }
}
