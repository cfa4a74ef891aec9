package dev.tapegrad.examples.rl;

/** The return and advantage arithmetic of policy-gradient methods, on plain arrays. */
public final class Returns {
    private Returns() {}

    /**
     * Discounted returns-to-go of one episode: {@code G_t = r_t + gamma G_{t+1}}, {@code G_T = 0} after the last
     * reward (a truncated episode is cut off there too, as REINFORCE does without a bootstrap).
     */
    public static double[] discounted(double[] rewards, double gamma) {
        if (!(gamma >= 0 && gamma <= 1)) throw new IllegalArgumentException("Returns.discounted: gamma " + gamma + " must be in [0, 1]");
        double[] g = new double[rewards.length];
        double next = 0;
        for (int t = rewards.length - 1; t >= 0; t--) g[t] = next = rewards[t] + gamma * next;
        return g;
    }

    /** Advantages {@code A_t = G_t - V(s_t)} of returns against baseline values of the same length. */
    public static double[] advantages(double[] returns, double[] values) {
        if (returns.length != values.length)
            throw new IllegalArgumentException("Returns.advantages: " + returns.length + " returns but " + values.length + " values");
        double[] a = new double[returns.length];
        for (int t = 0; t < a.length; t++) a[t] = returns[t] - values[t];
        return a;
    }

    /**
     * {@code (x - mean(x)) / (std(x) + 1e-8)} with the population standard deviation (numpy's default,
     * {@code ddof = 0}); a single value becomes 0.
     */
    public static double[] normalized(double[] x) {
        if (x.length == 0) throw new IllegalArgumentException("Returns.normalized: no values");
        double mean = 0, var = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        for (double v : x) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / x.length);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - mean) / (std + 1e-8);
        return out;
    }
}
