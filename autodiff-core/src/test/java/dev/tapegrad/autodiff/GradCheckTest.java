package dev.tapegrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** GradCheck detects wrong gradients and reports where. */
class GradCheckTest {

    private static final Tensor X = Tensor.randn(new Random(5), DType.FLOAT64, 3, 2);

    @Test
    void passesForACorrectGradient() {
        GradCheck.Report r = GradCheck.first("x*x", x -> x[0].mul(x[0]), 11, X).assertPassed();
        assertTrue(r.passed() && r.score() <= 1);
    }

    @Test
    void detectsAWrongFirstDerivative() {
        // detach() hides one factor from the tape: analytic x, true derivative 2x
        GradCheck.Report r = GradCheck.first("x*detach(x)", x -> x[0].mul(x[0].detach()), 11, X);
        assertFalse(r.passed());
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("x*detach(x)") && e.getMessage().contains("seed 11") && e.getMessage().contains("analytic"), e.getMessage());
    }

    @Test
    void detectsAWrongSecondDerivative() {
        // d/dx (x^2 as x*detach(x)... ) : first derivative of detach(x)*x^2/... ; here the gradient of exp(detach(x))*x
        // is exp(x) (right at first order w.r.t. the tape's view) but its derivative misses the exp'(x) term.
        GradCheck.Report first = GradCheck.first("x*x", x -> x[0].mul(x[0]), 3, X);
        assertTrue(first.passed());
        GradCheck.Report second = GradCheck.second("exp(detach x)*x", x -> x[0].detach().exp().mul(x[0]), 3, X);
        assertFalse(second.passed(), second.toString());
    }

    @Test
    void refusesFloat32Inputs() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.first("f", x -> x[0], 1, Tensor.zeros(2)));
    }

    /** A null function, input or result is named (they were the JVM's messages). */
    @Test
    void namesANullFunctionInputOrResult() {
        for (org.junit.jupiter.api.function.Executable e : new org.junit.jupiter.api.function.Executable[] {
                () -> GradCheck.first("f", null, 1, X), () -> GradCheck.second("f", null, 1, X)})
            assertTrue(assertThrows(NullPointerException.class, e).getMessage().contains("GradCheck(f): the function is null"));
        assertTrue(assertThrows(NullPointerException.class, () -> GradCheck.first("g", x -> null, 1, X)).getMessage().contains("GradCheck(g): the function returned null"));
        assertTrue(assertThrows(NullPointerException.class, () -> GradCheck.second("g", x -> null, 1, X)).getMessage().contains("GradCheck(g): the function returned null"));
        assertTrue(assertThrows(NullPointerException.class, () -> GradCheck.first("h", x -> x[0], 1, X, null)).getMessage().contains("GradCheck(h): input 1 is null"));
        assertTrue(assertThrows(NullPointerException.class, () -> GradCheck.first("h", x -> x[0], 1, (Tensor[]) null)).getMessage().contains("GradCheck(h): inputs is null"));
    }
}
