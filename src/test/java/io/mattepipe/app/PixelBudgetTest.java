package io.mattepipe.app;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Images are admitted by the pixels they decode to: a big one waits for room, one over the budget runs alone. */
class PixelBudgetTest {

    @Test
    void aBigImageWaitsUntilTheSmallerOnesInFlightAreDone() throws Exception {
        PixelBudget budget = new PixelBudget(100);
        long small = budget.acquire(60);
        CompletableFuture<Long> big = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.acquire(70);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(java.util.concurrent.TimeoutException.class, () -> big.get(300, TimeUnit.MILLISECONDS),
                "60 + 70 pixels do not fit a budget of 100");
        budget.release(small);
        assertEquals(70, big.get(10, TimeUnit.SECONDS));
        assertEquals(70, budget.inUse());
    }

    @Test
    void anImageLargerThanTheBudgetIsAdmittedAloneAndAnUnreadableHeaderCountsOne() throws Exception {
        PixelBudget budget = new PixelBudget(100);
        long huge = budget.acquire(196_000_000);
        assertEquals(100, huge, "admitted, with the whole budget");
        budget.release(huge);
        assertEquals(1, budget.acquire(0));
        assertFalse(budget.inUse() > 1);
        assertThrows(IllegalArgumentException.class, () -> new PixelBudget(0));
    }
}
