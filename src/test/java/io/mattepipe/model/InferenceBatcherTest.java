package io.mattepipe.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batching of single requests, against a fake model that records the batches it is given. */
class InferenceBatcherTest {

    private static final long FOREVER = TimeUnit.MINUTES.toNanos(10);

    private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    /** Each output is its input doubled, so a result handed to the wrong caller shows. */
    private List<float[]> doubled(List<float[]> tensors) {
        batchSizes.add(tensors.size());
        return tensors.stream().map(t -> new float[]{t[0] * 2}).toList();
    }

    @Test
    void requestsThatArriveTogetherShareOneRunAndGetTheirOwnResults() throws Exception {
        try (InferenceBatcher batcher = new InferenceBatcher(this::doubled, 4, FOREVER, 1)) {
            List<Future<float[]>> results = inParallel(4, i -> batcher.infer(new float[]{i}));
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(new float[]{2 * i}, results.get(i).get());
            }
        }
        // the wait is ten minutes, so the run started because the batch was full
        assertEquals(List.of(4), batchSizes);
    }

    @Test
    void aLoneRequestRunsOnceItsWaitIsOver() throws Exception {
        try (InferenceBatcher batcher = new InferenceBatcher(this::doubled, 8, TimeUnit.MILLISECONDS.toNanos(20), 1)) {
            assertArrayEquals(new float[]{6}, batcher.infer(new float[]{3}));
        }
        assertEquals(List.of(1), batchSizes);
    }

    @Test
    void aFailedRunFailsEveryRequestInItWithTheCause() throws Exception {
        IllegalStateException broken = new IllegalStateException("out of GPU memory");
        try (InferenceBatcher batcher = new InferenceBatcher(tensors -> {
            throw broken;
        }, 2, FOREVER, 1)) {
            for (Future<float[]> result : inParallel(2, i -> batcher.infer(new float[]{i}))) {
                Exception e = assertThrows(Exception.class, result::get);
                assertSame(broken, e.getCause());
            }
        }
    }

    @Test
    void closingFailsWhatIsStillWaiting() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InferenceBatcher batcher = new InferenceBatcher(tensors -> {
            running.countDown();
            await(release);
            return tensors;
        }, 1, 0, 1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<float[]> first = callers.submit(() -> batcher.infer(new float[]{1}));
            assertTrue(running.await(10, TimeUnit.SECONDS));
            // queued behind the running batch, or refused on arrival: either way it must fail, not hang
            Future<float[]> second = callers.submit(() -> batcher.infer(new float[]{2}));
            batcher.close();
            release.countDown();
            assertArrayEquals(new float[]{1}, first.get(10, TimeUnit.SECONDS));
            Exception e = assertThrows(Exception.class, () -> second.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
            assertThrows(IllegalStateException.class, () -> batcher.infer(new float[]{3}));
        } finally {
            callers.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Call {
        float[] run(int i) throws Exception;
    }

    private static List<Future<float[]>> inParallel(int n, Call call) {
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(callers.submit(() -> call.run(index)));
            }
            return results;
        } finally {
            callers.shutdown();
        }
    }
}
