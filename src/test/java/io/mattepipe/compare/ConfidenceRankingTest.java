package io.mattepipe.compare;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The ranking figures of a confidence: ROC AUC with ties counted half, and what a threshold flags and catches. */
class ConfidenceRankingTest {

    @Test
    void aPerfectRankingScoresOneAndAReversedOneZero() {
        ConfidenceRanking perfect = new ConfidenceRanking(0.8);
        perfect.add(0.1, 0.3);
        perfect.add(0.2, 0.7);
        perfect.add(0.6, 0.95);
        perfect.add(0.9, 0.99);
        assertEquals(1.0, perfect.auc());
        assertEquals(2, perfect.bad());
        ConfidenceRanking reversed = new ConfidenceRanking(0.8);
        reversed.add(0.9, 0.3);
        reversed.add(0.1, 0.95);
        assertEquals(0.0, reversed.auc());
    }

    @Test
    void tiesCountHalfAndOneSidedSetsHaveNoAuc() {
        ConfidenceRanking ranking = new ConfidenceRanking(0.8);
        ranking.add(0.5, 0.3);
        ranking.add(0.5, 0.9);
        ranking.add(0.7, 0.9);
        // the bad one against two good ones: a tie (1/2) and a win (1)
        assertEquals(0.75, ranking.auc());
        ConfidenceRanking allGood = new ConfidenceRanking(0.8);
        allGood.add(0.4, 0.9);
        assertNull(allGood.auc());
    }

    @Test
    void aThresholdFlagsWhatIsUnderItAndCatchesTheBadAmongThem() {
        ConfidenceRanking ranking = new ConfidenceRanking(0.8);
        ranking.add(0.1, 0.3);
        ranking.add(0.4, 0.95);
        ranking.add(0.45, 0.5);
        ranking.add(0.9, 0.6);
        assertEquals(new ConfidenceRanking.Cut(0.5, 3, 2, 3), ranking.at(0.5));
        assertEquals(new ConfidenceRanking.Cut(0.1, 0, 0, 3), ranking.at(0.1), "strictly under the threshold");
    }
}
