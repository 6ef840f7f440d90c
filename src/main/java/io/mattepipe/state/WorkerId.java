package io.mattepipe.state;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who holds a claim ({@code worker_id}, bound as {@code :#${bean:worker.id}}): host:pid:thread, so
 * that a finishing update applies only for the worker that claimed the task, and an operator can
 * tell which host ran it.
 */
public final class WorkerId {

    private final String process;

    public WorkerId() {
        this.process = hostName() + ":" + ProcessHandle.current().pid();
    }

    /** host:pid: this process. */
    public String process() {
        return process;
    }

    public String id() {
        return process + ":" + Thread.currentThread().getName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // a host without a resolvable name: the environment's name for it is as good for telling hosts apart
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment != null ? fromEnvironment : "unknown-host";
        }
    }
}
