package io.mattepipe.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.List;

/**
 * SIGTERM (docker, systemd, Kubernetes) and SIGINT (Ctrl-C) stop the application here, before
 * the JVM's shutdown begins. Left to the JVM, the signal starts every shutdown hook at once:
 * Camel's graceful stop is one, and ONNX Runtime registers another that frees its native
 * environment at once, under the model runs Camel is still waiting for (SIGSEGV in
 * {@code OrtSession.run}). Handled here, the command stops Camel (no new work, runs inside the
 * model finish, then the model is closed) and only then exits, when that hook finds nothing running.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private static volatile Runnable stop;
    private static volatile String received;
    private static volatile int receivedNumber;

    private StopSignals() {
    }

    /**
     * On the first signal, runs {@code action}, which must make the command's main thread stop the
     * application and return; a second signal ends the process at once, as a second Ctrl-C should.
     */
    static synchronized void onStop(Runnable action) {
        if (stop == null) {
            SIGNALS.forEach(name -> Signal.handle(new Signal(name), StopSignals::handle));
        }
        stop = action;
    }

    /** The signal that asked for the stop ("TERM", "INT"), or null. */
    static String received() {
        return received;
    }

    /** Its number (15, 2): a command stopped before its work was done exits 128 + this, as shells expect. */
    static int receivedNumber() {
        return receivedNumber;
    }

    private static void handle(Signal signal) {
        if (received != null) {
            LOG.warn("SIG{} again while stopping: exiting now; unfinished tasks are re-queued at the next start", signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        receivedNumber = signal.getNumber();
        received = signal.getName();
        LOG.info("SIG{}: stopping: no new work, runs inside the model finish, unfinished tasks are re-queued at the next start",
                signal.getName());
        stop.run();
    }
}
