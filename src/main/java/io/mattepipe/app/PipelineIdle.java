package io.mattepipe.app;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.InflightRepository;

import java.util.List;
import java.util.function.Supplier;

/**
 * Whether the pipeline has nothing in hand: no exchange in a route of this node that feeds a stage,
 * and nothing waiting on a stage queue. When that is so, a task of a running job that is not
 * terminal is stuck (a state change was lost to a database busy or full past its timeout, or a
 * gateway died between writing a task's state and sending it), and the sweep queues it again.
 *
 * <p>The queue depths are SEDA's on a single node and the broker's in a cluster. The broker counts
 * a message until it is acknowledged, which a transacted consumer does only when its route ends: a
 * task in any worker's hands, on any host, keeps its queue from reading empty. A duplicate sent
 * when a depth read empty at the wrong instant is harmless: the claim takes one message of a task.
 */
public final class PipelineIdle {

    /** Routes of this node that hold work on its way to a stage queue. */
    private static final List<String> STAGE_ROUTES = List.of("recovery", "upload", "retry", "split", "matting", "compare",
            "job-finished");

    private final CamelContext context;
    private final List<Supplier<Number>> queueDepths;

    /** @param queueDepths the stage queues' depths: negative or NaN when unknown (the broker is unreachable) */
    public PipelineIdle(CamelContext context, List<Supplier<Number>> queueDepths) {
        this.context = context;
        this.queueDepths = queueDepths;
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
        for (Supplier<Number> depth : queueDepths) {
            // an unknown depth (NaN, or -1 while the broker is unreachable) is not an empty queue
            if (depth.get().doubleValue() != 0) {
                return false;
            }
        }
        return true;
    }
}
