package dev.tapegrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adam and AdamW, whose update is one fused pass ({@code AdamUpdate}), against the same equations written with
 * whole-tensor operations (the implementation before the fused pass), bit for bit: values and every state tensor
 * over eight steps, in FLOAT32 and FLOAT64, with and without weight decay and AMSGrad, on sizes that leave vector
 * tails (1, 7, 33, 13 x 7) and one large enough to be split across threads (4,099), with the learning rate
 * changed and a parameter reassigned midway.
 */
class FusedAdamTest {

    /** The equations with tensor operations: Adam's update as it was written before the fused pass. */
    static final class CompositeAdam extends Optimizer {
        final double beta1, beta2, eps, weightDecay;
        final boolean amsgrad, decoupled;

        CompositeAdam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean decoupled) {
            super("CompositeAdam", params, lr);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.amsgrad = amsgrad;
            this.decoupled = decoupled;
        }

        @Override
        protected Tensor update(Tensor p, Tensor g, Slot s) {
            if (decoupled) p = p.mul(1 - lr() * weightDecay);
            else if (weightDecay != 0) g = g.add(p, weightDecay);
            long t = s.step();
            Tensor m = s.zerosIfAbsent("exp_avg", p).mul(beta1).add(g, 1 - beta1);
            Tensor v = s.zerosIfAbsent("exp_avg_sq", p).mul(beta2).add(g.square(), 1 - beta2);
            s.put("exp_avg", m);
            s.put("exp_avg_sq", v);
            if (amsgrad) {
                v = s.zerosIfAbsent("max_exp_avg_sq", p).maximum(v);
                s.put("max_exp_avg_sq", v);
            }
            Tensor mHat = m.div(1 - Math.pow(beta1, t)), vHat = v.div(1 - Math.pow(beta2, t));
            return p.add(mHat.div(vHat.sqrt().add(eps)), -lr());
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dtype : DType.values())
            for (boolean decoupled : new boolean[] {false, true})
                for (boolean amsgrad : new boolean[] {false, true})
                    for (double wd : new double[] {0, 0.05}) out.add(Arguments.of(dtype, decoupled, amsgrad, wd));
        return out.stream();
    }

    static final int[][] SHAPES = {{1}, {7}, {33}, {13, 7}, {4_099}, {}};

    @ParameterizedTest(name = "{0} decoupled={1} amsgrad={2} weightDecay={3}")
    @MethodSource("cases")
    void fusedStepsAreBitIdenticalToTheComposite(DType dtype, boolean decoupled, boolean amsgrad, double wd) {
        Random r = new Random(31 + (decoupled ? 2 : 0) + (amsgrad ? 4 : 0) + (wd > 0 ? 8 : 0) + dtype.ordinal());
        List<Parameter> fused = new ArrayList<>(), composite = new ArrayList<>();
        for (int[] shape : SHAPES) {
            Tensor init = values(r, dtype, shape);
            fused.add(new Parameter(init));
            composite.add(new Parameter(init));
        }
        double lr = 3e-3, b1 = 0.85, b2 = 0.995, eps = 1e-7;
        Optimizer a = decoupled ? new AdamW(fused, lr, b1, b2, eps, wd, amsgrad) : new Adam(fused, lr, b1, b2, eps, wd, amsgrad);
        Optimizer b = new CompositeAdam(composite, lr, b1, b2, eps, wd, amsgrad, decoupled);
        for (int step = 1; step <= 8; step++) {
            if (step == 4) {
                a.setLr(1e-2);
                b.setLr(1e-2);
                Tensor replacement = values(r, dtype, SHAPES[2]);
                fused.get(2).assign(replacement);
                composite.get(2).assign(replacement);
            }
            List<Tensor> g = new ArrayList<>();
            for (int[] shape : SHAPES) g.add(values(r, dtype, shape));
            a.step(gradients(fused, g));
            b.step(gradients(composite, g));
            for (int i = 0; i < SHAPES.length; i++)
                assertBits(composite.get(i).value(), fused.get(i).value(), "step " + step + ", parameter " + i);
        }
        Map<String, Tensor> want = b.stateDict(), got = a.stateDict();
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertBits(v, got.get(k), "state " + k));
        // An optimizer of one's own that names no state tensors (stateNames() null) restores its own state, shapes checked.
        b.loadStateDict(want);
        want.forEach((k, v) -> assertBits(v, b.stateDict().get(k), "restored " + k));
        Map<String, Tensor> misshapen = new java.util.LinkedHashMap<>(want);
        misshapen.put("0.exp_avg", Tensor.zeros(dtype, 2));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(misshapen));
        assertTrue(e.getMessage().contains("'0.exp_avg' has shape [2]"), e.getMessage());
    }

    /** Values over six orders of magnitude, both signs, with exact zeros and negative zeros among them. */
    static Tensor values(Random r, DType dtype, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(20);
            v[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : r.nextGaussian() * Math.pow(10, r.nextInt(7) - 4);
        }
        return Tensor.of(v, shape.length == 0 ? new int[] {1} : shape).reshape(shape).to(dtype);
    }

    /** The gradient {@code g_i} of every parameter: the backward of {@code sum_i sum(p_i g_i)}. */
    static Gradients gradients(List<Parameter> params, List<Tensor> g) {
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = Tensor.zeros(params.get(0).dtype());
            for (int i = 0; i < params.size(); i++) loss = loss.add(params.get(i).value().mul(g.get(i)).sum());
            return loss.backward();
        }
    }

    /** Equal bit patterns (NaNs compared as NaN), so that -0.0 and 0.0 or a last-bit difference fail. */
    static void assertBits(Tensor want, Tensor got, String what) {
        assertEquals(want.dtype(), got.dtype(), what);
        assertArrayEquals(want.shape(), got.shape(), what);
        if (want.dtype() == DType.FLOAT32) {
            float[] w = want.toFloatArray(), x = got.toFloatArray();
            for (int i = 0; i < w.length; i++)
                if (Float.floatToIntBits(w[i]) != Float.floatToIntBits(x[i]))
                    throw new AssertionError(what + ": element " + i + " is " + x[i] + " but the composite gives " + w[i]);
        } else {
            double[] w = want.toDoubleArray(), x = got.toDoubleArray();
            for (int i = 0; i < w.length; i++)
                if (Double.doubleToLongBits(w[i]) != Double.doubleToLongBits(x[i]))
                    throw new AssertionError(what + ": element " + i + " is " + x[i] + " but the composite gives " + w[i]);
        }
    }
}
