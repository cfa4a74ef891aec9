package dev.tapegrad.examples.rl;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.ReLU;
import dev.tapegrad.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The agents' multilayer perceptrons and the conversions between observations and tensors. */
public final class Networks {
    private Networks() {}

    /**
     * {@code Linear(sizes[0], sizes[1]), ReLU, Linear(sizes[1], sizes[2]), ..., Linear(.., sizes[last])}, FLOAT32,
     * PyTorch's default initialisation; as a {@code torch.nn.Sequential} its state dict names are
     * {@code 0.weight, 0.bias, 2.weight, 2.bias, ...}.
     */
    public static Sequential mlp(Random random, int... sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("Networks.mlp: need at least an input and an output size, got " + sizes.length + " sizes");
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            if (i > 0) layers.add(new ReLU());
            layers.add(new Linear(sizes[i], sizes[i + 1], random));
        }
        return new Sequential(layers.toArray(Module[]::new));
    }

    /** Throws unless {@code hidden} holds one or more positive sizes and {@code gamma} is in [0, 1] (the agents' shared options). */
    static void checkOptions(String agent, int[] hidden, double gamma) {
        if (hidden.length == 0 || java.util.Arrays.stream(hidden).anyMatch(h -> h <= 0))
            throw new IllegalArgumentException(agent + ": hidden sizes " + java.util.Arrays.toString(hidden) + " must be one or more positive sizes");
        if (!(gamma >= 0 && gamma <= 1)) throw new IllegalArgumentException(agent + ": gamma " + gamma + " must be in [0, 1]");
    }

    /** {@code in, hidden..., out}: the sizes of an MLP. */
    static int[] sizes(int in, int[] hidden, int out) {
        int[] s = new int[hidden.length + 2];
        s[0] = in;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = out;
        return s;
    }

    /** Observations as a FLOAT32 batch {@code [rows, n]}. */
    public static Tensor batch(List<double[]> observations) {
        int n = observations.get(0).length;
        float[] v = new float[observations.size() * n];
        for (int i = 0; i < observations.size(); i++) for (int j = 0; j < n; j++) v[i * n + j] = (float) observations.get(i)[j];
        return Tensor.of(v, observations.size(), n);
    }

    /** The network's outputs for one observation (a batch of one, no tape). */
    public static float[] outputs(Module net, double[] observation) {
        return net.forward(batch(List.of(observation))).toFloatArray();
    }

    /** The index of the largest value (the first among equals). */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
