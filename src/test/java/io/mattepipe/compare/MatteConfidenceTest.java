package io.mattepipe.compare;

import io.mattepipe.compare.MaskStatisticsTest.Canvas;
import io.mattepipe.image.AlphaMatte;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The confidence of a matte: each signal lowers it where it shows a typical failure, and names it. */
class MatteConfidenceTest {

    private static MatteConfidence.Confidence of(AlphaMatte matte, AlphaMatte... members) {
        List<AlphaMatte> all = members.length == 0 ? List.of(matte) : List.of(members);
        return MatteConfidence.of(matte, all, MaskStatistics.of(matte));
    }

    @Test
    void aCleanSubjectInTheMiddleIsTrustedFully() {
        AlphaMatte subject = new Canvas().fill(20, 20, 60, 50, 255).matte();
        MatteConfidence.Confidence confidence = of(subject);
        assertEquals(1.0, confidence.score(), 1e-12);
        assertNull(confidence.agreement(), "one model has nobody to agree with");
        assertEquals(List.of(), confidence.doubts());
        assertNull(confidence.doubtsText());
    }

    @Test
    void modelsThatDisagreeLowerTheConfidenceByTheirLowestPairwiseIou() {
        AlphaMatte left = new Canvas().fill(20, 20, 40, 50, 255).matte();
        AlphaMatte right = new Canvas().fill(40, 20, 40, 50, 255).matte();
        AlphaMatte both = new Canvas().fill(20, 20, 60, 50, 255).matte();
        MatteConfidence.Confidence confidence = of(both, left, right, both);
        // left ∩ right is 20 of 60 columns: IoU 1/3, the lowest of the three pairs
        assertEquals(1.0 / 3, confidence.agreement(), 1e-12);
        assertEquals(MatteConfidence.AGREEMENT.factor(1.0 / 3), confidence.score(), 1e-12);
        assertTrue(confidence.score() < 0.1, "IoU 1/3 is near the bad end: " + confidence.score());
        assertEquals(List.of(MatteConfidence.DISAGREEMENT), confidence.doubts());
        assertEquals(1.0, of(both, both, both).score(), 1e-12, "models that agree leave it whole");
    }

    @Test
    void aMatteThatCannotDecideIsDoubted() {
        AlphaMatte undecided = new Canvas().fill(20, 20, 60, 50, 255).fill(0, 0, 100, 20, 128).matte();
        MatteConfidence.Confidence confidence = of(undecided);
        // a fifth of the image half in: (0.30 - 0.20) / (0.30 - 0.05)
        assertEquals(0.4, confidence.score(), 1e-12);
        assertEquals(List.of(MatteConfidence.UNDECIDED), confidence.doubts());
    }

    @Test
    void aSubjectThatCoversTheFrameLooksLikeAKeptBackground() {
        AlphaMatte full = new Canvas().fill(0, 0, 100, 100, 255).matte();
        assertEquals(1.0, MatteConfidence.frameCoverage(full));
        MatteConfidence.Confidence confidence = of(full);
        assertEquals(0.0, confidence.score());
        assertEquals(List.of(MatteConfidence.FRAME), confidence.doubts());
        // touching one edge of four is how many real photos are framed: no doubt
        AlphaMatte standing = new Canvas().fill(30, 40, 40, 60, 255).matte();
        assertEquals(40.0 / 396, MatteConfidence.frameCoverage(standing), 1e-12);
        assertEquals(1.0, of(standing).score(), 1e-12);
    }

    @Test
    void piecesAndEmptinessAreDoubtsOfTheirOwn() {
        AlphaMatte pieces = new Canvas().fill(10, 10, 10, 10, 255).fill(40, 40, 10, 10, 255).fill(70, 70, 10, 10, 255).matte();
        assertEquals(List.of(MatteConfidence.PIECES), of(pieces).doubts());
        MatteConfidence.Confidence empty = of(new Canvas().matte());
        assertEquals(0.0, empty.score());
        assertEquals(List.of(MatteConfidence.NOTHING), empty.doubts());
    }

    @Test
    void rampsRunEitherWayAndClamp() {
        MatteConfidence.Ramp falling = new MatteConfidence.Ramp(0.3, 0.05);
        assertEquals(1.0, falling.factor(0.0));
        assertEquals(0.5, falling.factor(0.175), 1e-12);
        assertEquals(0.0, falling.factor(0.9));
        assertEquals(0.5, new MatteConfidence.Ramp(0.3, 0.9).factor(0.6), 1e-12);
    }
}
