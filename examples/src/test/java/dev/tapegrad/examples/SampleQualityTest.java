package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The quality tool's statistics against closed forms and hand-computed cases. */
class SampleQualityTest {
    private static DMatrixRMaj m(int n, double... v) { return new DMatrixRMaj(n, n, true, v); }

    @Test
    void frechetDistanceOfDiagonalGaussiansIsTheSumOfSquaredRootDifferences() {
        double[] mu1 = {0, 1, 2}, mu2 = {1, 1, 0};
        double d = SampleQuality.frechetDistance(mu1, m(3, 4, 0, 0, 0, 9, 0, 0, 0, 1), mu2, m(3, 1, 0, 0, 0, 4, 0, 0, 0, 16));
        // |mu1 - mu2|^2 = 1 + 0 + 4; sum (sqrt a - sqrt b)^2 = (2-1)^2 + (3-2)^2 + (1-4)^2 = 11
        assertEquals(16, d, 1e-9);
    }

    @Test
    void frechetDistanceOfNonCommutingCovariancesMatchesTheTwoByTwoClosedForm() {
        // For 2x2 PSD M, tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)); M = S1 S2 has tr = tr(S1 S2), det = det S1 det S2.
        DMatrixRMaj s1 = m(2, 2, 1, 1, 3), s2 = m(2, 1, -0.5, -0.5, 2);
        double trProduct = 2 * 1 + 1 * -0.5 + 1 * -0.5 + 3 * 2, det = (2 * 3 - 1) * (1 * 2 - 0.25);
        double expected = 1 * 1 + 2 * 2 + 5 + 3 - 2 * Math.sqrt(trProduct + 2 * Math.sqrt(det));
        assertEquals(expected, SampleQuality.frechetDistance(new double[] {1, 0}, s1, new double[] {0, 2}, s2), 1e-9);
        assertEquals(0, SampleQuality.frechetDistance(new double[] {1, 0}, s1, new double[] {1, 0}, s1), 1e-9);
    }

    @Test
    void frechetDistanceRejectsMismatchedDimensions() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SampleQuality.frechetDistance(new double[] {0, 0}, m(2, 1, 0, 0, 1), new double[] {0}, m(1, 1)));
        assertTrue(e.getMessage().contains("means of 2 and 1"), e.getMessage());
    }

    @Test
    void gaussianFitIsTheMeanAndUnbiasedCovariance() {
        SampleQuality.Gaussian g = SampleQuality.gaussian(Tensor.of(new double[] {1, 2, 3, 6, 5, 4}, 3, 2));
        assertEquals(3, g.mean()[0], 1e-12);
        assertEquals(4, g.mean()[1], 1e-12);
        assertEquals(4, g.cov().get(0, 0), 1e-12);
        assertEquals(2, g.cov().get(0, 1), 1e-12);
        assertEquals(4, g.cov().get(1, 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SampleQuality.gaussian(Tensor.zeros(1, 3)));
    }

    @Test
    void entropyOfHandComputedHistograms() {
        assertEquals(Math.log(10), SampleQuality.entropy(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}), 1e-12);
        assertEquals(Math.log(2), SampleQuality.entropy(new int[] {5, 0, 5, 0, 0, 0, 0, 0, 0, 0}), 1e-12);
        assertEquals(0, SampleQuality.entropy(new int[] {0, 7, 0}), 0);
        assertEquals(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), SampleQuality.entropy(new int[] {1, 3}), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> SampleQuality.entropy(new int[] {0, 0}));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void confidenceIsTheMeanHighestProbability() {
        Tensor probs = Tensor.of(new double[] {0.7, 0.2, 0.1, 0.1, 0.5, 0.4}, 2, 3);
        assertEquals(0.6, SampleQuality.confidence(probs), 1e-12);
    }

    @Test
    void scoringRejectsImagesOfTheWrongShape() {
        SampleQuality q = new SampleQuality(new MnistCnn().network(new java.util.Random(1)), Tensor.rand(new java.util.Random(2), 4, 1, 28, 28),
                Tensor.rand(new java.util.Random(3), 4, 1, 28, 28));
        var e = assertThrows(IllegalArgumentException.class, () -> q.score(Tensor.zeros(4, 784)));
        assertTrue(e.getMessage().contains("expected images [N, 1, 28, 28], got [4, 784]"), e.getMessage());
        SampleQuality.Scores s = q.score(Tensor.rand(new java.util.Random(4), 6, 1, 28, 28));
        assertEquals(6, java.util.Arrays.stream(s.classCounts()).sum());
        assertTrue(s.confidence() >= 0.1 && s.confidence() <= 1 && s.frechetDistance() >= -1e-6, s.toString());
    }
}
