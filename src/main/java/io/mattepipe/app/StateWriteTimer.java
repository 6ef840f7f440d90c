package io.mattepipe.app;

import io.mattepipe.model.StageTimer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;


/** Times every statement the routes send to camel-sql, as the stage "state_write". */
public final class StateWriteTimer extends EventNotifierSupport {

    private static final String STARTED = "mattepipe.stateWriteStarted";

    private final StageTimer timer;

    public StateWriteTimer(StageTimer timer) {
        this.timer = timer;
    }

    /** Camel only starts the clock (and later sends the "sent" event) when a notifier wants the "sending" one. */
    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent sending && isSql(sending.getEndpoint())
                || event instanceof ExchangeSentEvent sent && isSql(sent.getEndpoint());
    }

    /** The sent event's own figure is whole milliseconds, and a SQLite write takes a fraction of one. */
    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSendingEvent sending) {
            sending.getExchange().setProperty(STARTED, System.nanoTime());
        } else if (event instanceof ExchangeSentEvent sent) {
            Long started = sent.getExchange().getProperty(STARTED, Long.class);
            if (started != null) {
                timer.record("state_write", System.nanoTime() - started);
            }
        }
    }

    private static boolean isSql(Endpoint endpoint) {
        return endpoint.getEndpointUri().startsWith("sql:");
    }
}
