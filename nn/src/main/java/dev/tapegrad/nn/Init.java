package dev.tapegrad.nn;

import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.Random;

/**
 * Weight initialisation with PyTorch's definitions ({@code torch.nn.init}); every method takes the
 * {@link Random} it draws from and returns a FLOAT32 tensor (convert with {@code to(DType)}).
 *
 * <p>For a weight of shape {@code [out, in, k...]}: {@code fanIn = in * prod(k)}, {@code fanOut = out * prod(k)}.
 * <ul>
 *   <li>Xavier/Glorot uniform: {@code U(-a, a)}, {@code a = gain * sqrt(6 / (fanIn + fanOut))};
 *       normal: {@code N(0, std^2)}, {@code std = gain * sqrt(2 / (fanIn + fanOut))}.</li>
 *   <li>He/Kaiming uniform: {@code U(-b, b)}, {@code b = gain * sqrt(3 / fan)}; normal: {@code std = gain / sqrt(fan)},
 *       with {@code fan} = fanIn (default) or fanOut and {@code gain} = {@link #gain}.</li>
 * </ul>
 */
public final class Init {
    private Init() {}

    /** Which fan Kaiming initialisation scales by. */
    public enum Mode { FAN_IN, FAN_OUT }

    /** The recommended gain of {@code torch.nn.init.calculate_gain}. */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU }

    /** {@code calculate_gain}: 1 for linear and sigmoid, 5/3 for tanh, sqrt 2 for ReLU, sqrt(2 / (1 + slope^2)) for leaky ReLU. */
    public static double gain(Nonlinearity f, double slope) {
        return switch (f) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + slope * slope));
        };
    }

    /** {@code [fanIn, fanOut]} of a weight shape of rank 2 or more. */
    public static int[] fans(int... shape) {
        if (shape.length < 2)
            throw new IllegalArgumentException("Init: fan in and fan out need a shape of rank 2 or more, got " + Shape.str(shape));
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        return new int[] {shape[1] * receptive, shape[0] * receptive};
    }

    public static Tensor uniform(Random r, double lo, double hi, int... shape) {
        return Tensor.rand(r, DType.FLOAT64, shape).mul(hi - lo).add(lo).to(DType.FLOAT32);
    }

    public static Tensor normal(Random r, double mean, double std, int... shape) {
        return Tensor.randn(r, DType.FLOAT64, shape).mul(std).add(mean).to(DType.FLOAT32);
    }

    public static Tensor xavierUniform(Random r, int... shape) { return xavierUniform(r, 1, shape); }

    public static Tensor xavierUniform(Random r, double gain, int... shape) {
        int[] f = fans(shape);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(r, -a, a, shape);
    }

    public static Tensor xavierNormal(Random r, int... shape) { return xavierNormal(r, 1, shape); }

    public static Tensor xavierNormal(Random r, double gain, int... shape) {
        int[] f = fans(shape);
        return normal(r, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), shape);
    }

    /** PyTorch's default {@code kaiming_uniform_}: fan in, leaky ReLU with slope 0 (gain sqrt 2). */
    public static Tensor kaimingUniform(Random r, int... shape) { return kaimingUniform(r, Mode.FAN_IN, Nonlinearity.LEAKY_RELU, 0, shape); }

    public static Tensor kaimingUniform(Random r, Mode mode, Nonlinearity f, double slope, int... shape) {
        double b = gain(f, slope) * Math.sqrt(3.0 / fan(mode, shape));
        return uniform(r, -b, b, shape);
    }

    /** PyTorch's default {@code kaiming_normal_}: fan in, leaky ReLU with slope 0 (gain sqrt 2). */
    public static Tensor kaimingNormal(Random r, int... shape) { return kaimingNormal(r, Mode.FAN_IN, Nonlinearity.LEAKY_RELU, 0, shape); }

    public static Tensor kaimingNormal(Random r, Mode mode, Nonlinearity f, double slope, int... shape) {
        return normal(r, 0, gain(f, slope) / Math.sqrt(fan(mode, shape)), shape);
    }

    public static Tensor zeros(int... shape) { return Tensor.zeros(shape); }

    public static Tensor ones(int... shape) { return Tensor.ones(shape); }

    public static Tensor constant(double value, int... shape) { return Tensor.full(value, shape); }

    private static int fan(Mode mode, int[] shape) {
        int[] f = fans(shape);
        int fan = mode == Mode.FAN_IN ? f[0] : f[1];
        if (fan == 0) throw new IllegalArgumentException("Init: zero fan for shape " + Shape.str(shape));
        return fan;
    }
}
