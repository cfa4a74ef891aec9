package dev.tapegrad.examples.rl;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * REINFORCE (Williams 1992) with a learned baseline. The policy network maps an observation to one logit
 * per action, {@code pi(a|s) = softmax(logits)}; a value network estimates {@code V(s)}. After every
 * {@code episodesPerUpdate} episodes, with the discounted returns {@code G_t} ({@link Returns#discounted})
 * of all their steps:
 * <pre>
 *   A_t          = G_t - V(s_t)                 (normalised to mean 0, std 1 over the batch if asked)
 *   policy loss  = -mean_t(log pi(a_t|s_t) A_t) - entropy * mean_t(H(pi(.|s_t))),  H = -sum_a pi log pi
 *   value loss   = mean_t((V(s_t) - G_t)^2)
 * </pre>
 * each minimised by one Adam step on its own network; the advantages use the values from before the
 * value step. Actions are sampled from {@code pi} with the training {@link Random}.
 */
public final class Reinforce implements Agent {
    /**
     * Hidden layer sizes of both networks, discount {@code gamma}, Adam learning rates, the entropy
     * coefficient (0 for none), episodes per update and whether advantages are normalised.
     */
    public record Options(int[] hidden, double gamma, double policyLr, double valueLr, double entropy, int episodesPerUpdate,
                          boolean normalizeAdvantages) {
        /** Checks every setting, naming the one at fault. */
        public Options {
            Networks.checkOptions("Reinforce", hidden, gamma);
            if (!(policyLr > 0 && valueLr > 0)) throw new IllegalArgumentException("Reinforce: learning rates " + policyLr + ", " + valueLr + " must be positive");
            if (!(entropy >= 0)) throw new IllegalArgumentException("Reinforce: entropy coefficient " + entropy + " must be non-negative");
            if (episodesPerUpdate <= 0) throw new IllegalArgumentException("Reinforce: episodes per update " + episodesPerUpdate + " must be positive");
        }
    }

    private final Options options;
    private final Sequential policy, value;
    private final Adam policyOpt, valueOpt;
    private final List<double[]> states = new ArrayList<>();
    private final List<Integer> actions = new ArrayList<>();
    private final List<Double> returns = new ArrayList<>();
    private int pending;

    /** An agent for observations of length {@code observationSize} and {@code actionCount} actions, initialised from {@code random}. */
    public Reinforce(int observationSize, int actionCount, Options options, Random random) {
        this.options = options;
        policy = Networks.mlp(random, Networks.sizes(observationSize, options.hidden(), actionCount));
        value = Networks.mlp(random, Networks.sizes(observationSize, options.hidden(), 1));
        policyOpt = new Adam(policy.parameters(), options.policyLr());
        valueOpt = new Adam(value.parameters(), options.valueLr());
    }

    /** The policy network (observation in, one logit per action out). */
    public Sequential policy() { return policy; }

    @Override
    public double trainEpisode(Environment env, Random random) {
        double[] obs = env.reset(random);
        List<Double> rewards = new ArrayList<>();
        while (true) {
            int a = sample(softmax(Networks.outputs(policy, obs)), random);
            Environment.Step s = env.step(a);
            states.add(obs);
            actions.add(a);
            rewards.add(s.reward());
            if (s.done()) break;
            obs = s.observation();
        }
        double[] r = rewards.stream().mapToDouble(Double::doubleValue).toArray();
        for (double g : Returns.discounted(r, options.gamma())) returns.add(g);
        if (++pending == options.episodesPerUpdate()) update();
        return Arrays.stream(r).sum();
    }

    private void update() {
        int n = states.size();
        double[] ret = returns.stream().mapToDouble(Double::doubleValue).toArray();
        Tensor s = Networks.batch(states), g = Tensor.of(ret).to(s.dtype());
        int[] a = actions.stream().mapToInt(Integer::intValue).toArray();
        double[] adv = Returns.advantages(ret, value.forward(s).reshape(n).toDoubleArray());
        if (options.normalizeAdvantages()) adv = Returns.normalized(adv);
        try (GradientTape tape = GradientTape.record()) {
            valueOpt.step(Losses.mse(value.forward(s).reshape(n), g).backward());
        }
        try (GradientTape tape = GradientTape.record()) {
            policyOpt.step(policyLoss(policy.forward(s), a, Tensor.of(adv).to(s.dtype()), options.entropy()).backward());
        }
        states.clear();
        actions.clear();
        returns.clear();
        pending = 0;
    }

    /**
     * {@code -mean_t(log softmax(logits_t)[a_t] A_t) - entropyCoef * mean_t(H_t)} for logits {@code [T, A]},
     * actions and advantages {@code [T]}.
     */
    static Tensor policyLoss(Tensor logits, int[] actions, Tensor advantages, double entropyCoef) {
        int n = logits.size(0);
        if (actions.length != n || advantages.numel() != n)
            throw new IllegalArgumentException("Reinforce.policyLoss: logits " + Arrays.toString(logits.shape()) + " with " + actions.length
                    + " actions and " + advantages.numel() + " advantages");
        Tensor logp = logits.logSoftmax(1);
        Tensor chosen = logp.gather(1, Tensor.of(Arrays.stream(actions).asDoubleStream().toArray(), n, 1)).reshape(n);
        Tensor loss = chosen.mul(advantages).mean().neg();
        if (entropyCoef == 0) return loss;
        Tensor entropy = logp.exp().mul(logp).sum(1, false).neg().mean();
        return loss.sub(entropy.mul(entropyCoef));
    }

    @Override
    public int greedyAction(double[] observation) { return Networks.argmax(Networks.outputs(policy, observation)); }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** An index drawn from the distribution {@code p} with one uniform draw. */
    static int sample(double[] p, Random random) {
        double u = random.nextDouble(), c = 0;
        for (int i = 0; i < p.length - 1; i++) if (u < (c += p[i])) return i;
        return p.length - 1;
    }
}
