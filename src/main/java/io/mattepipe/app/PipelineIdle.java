package io.mattepipe.app;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.InflightRepository;

import java.util.List;

/**
 * Whether the pipeline has nothing in hand: no exchange in a stage route and nothing waiting on a
 * stage queue. When that is so, a task of a running job that is not terminal is stuck: a state
 * change was lost (a database busy or full past its timeout), and the stall sweep queues it again.
 * Only in-memory ({@code seda:}) queues can be looked into; with a broker the sweep stays off, as
 * other hosts may hold the work.
 */
public final class PipelineIdle {

    private static final List<String> STAGE_ROUTES = List.of("recovery", "split", "matting", "compare", "job-finished");

    private final CamelContext context;
    private final List<String> queueUris;

    public PipelineIdle(CamelContext context, List<String> queueUris) {
        this.context = context;
        this.queueUris = queueUris;
    }

    private boolean idleBefore;

    /**
     * Idle now and at the previous call too: a message between a queue and its consumer is
     * neither queued nor in flight for an instant, and must not be taken for stuck work.
     */
    public synchronized boolean isIdle() {
        boolean idle = idleNow();
        boolean stillIdle = idle && idleBefore;
        idleBefore = idle;
        return stillIdle;
    }

    private boolean idleNow() {
        InflightRepository inflight = context.getInflightRepository();
        for (String route : STAGE_ROUTES) {
            if (inflight.size(route) > 0) {
                return false;
            }
        }
        for (String uri : queueUris) {
            Endpoint endpoint = context.getEndpoint(uri);
            if (!(endpoint instanceof SedaEndpoint seda) || seda.getCurrentQueueSize() > 0) {
                return false;
            }
        }
        return true;
    }
}
