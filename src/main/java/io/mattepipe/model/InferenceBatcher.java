package io.mattepipe.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gathers the single-image requests of the worker threads into batches: a runner takes the first
 * waiting tensor, adds whatever else arrives until the batch is full or the first has waited
 * {@code maxWaitNanos}, and runs them as one. Each worker still blocks on its own image, so the
 * queues upstream keep their back-pressure, and a task's failure and retry stay its own.
 */
final class InferenceBatcher implements AutoCloseable {

    private static final String CLOSED = "the model was closed";

    private record Request(float[] tensor, CompletableFuture<float[]> result) {
    }

    private final BlockingQueue<Request> waiting = new LinkedBlockingQueue<>();
    private final Function<List<float[]>, List<float[]>> runBatch;
    private final int batchSize;
    private final long maxWaitNanos;
    private final List<Thread> runners = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param runBatch     one model run over a list of tensors, results in the same order
     * @param runnerCount  batches that may run at once
     */
    InferenceBatcher(Function<List<float[]>, List<float[]>> runBatch, int batchSize, long maxWaitNanos, int runnerCount) {
        this.runBatch = runBatch;
        this.batchSize = batchSize;
        this.maxWaitNanos = maxWaitNanos;
        for (int i = 0; i < runnerCount; i++) {
            Thread runner = new Thread(this::runUntilClosed, "matting-batch-" + (i + 1));
            runner.setDaemon(true);
            runner.start();
            runners.add(runner);
        }
    }

    /** The model output for one tensor, run in a batch with whatever other tensors are waiting. */
    float[] infer(float[] tensor) throws InterruptedException {
        Request request = new Request(tensor, new CompletableFuture<>());
        waiting.put(request);
        if (closed && waiting.remove(request)) {
            throw new IllegalStateException(CLOSED);
        }
        try {
            return request.result().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void runUntilClosed() {
        List<Request> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                batch.add(waiting.take());
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < batchSize) {
                    Request next = waiting.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
                batch.clear();
            }
        } catch (InterruptedException stopped) {
            IllegalStateException reason = new IllegalStateException(CLOSED);
            batch.forEach(request -> request.result().completeExceptionally(reason));
        }
    }

    private void run(List<Request> batch) {
        try {
            List<float[]> outputs = runBatch.apply(batch.stream().map(Request::tensor).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(request -> request.result().completeExceptionally(e));
        }
    }

    /** Stops the runners; requests still waiting fail rather than hang. */
    @Override
    public void close() {
        closed = true;
        runners.forEach(Thread::interrupt);
        IllegalStateException reason = new IllegalStateException(CLOSED);
        for (Request request; (request = waiting.poll()) != null; ) {
            request.result().completeExceptionally(reason);
        }
    }
}
