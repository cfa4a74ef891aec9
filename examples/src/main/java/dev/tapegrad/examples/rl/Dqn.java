package dev.tapegrad.examples.rl;

import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Losses;
import dev.tapegrad.nn.Sequential;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.Clipping;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deep Q-learning (Mnih et al. 2015): an online network {@code Q(s, .)} (one output per action) acts
 * epsilon-greedily ({@link EpsilonSchedule} over environment steps), every transition goes into a
 * {@link ReplayBuffer}, and once {@code learningStarts} transitions are stored, every {@code trainEvery}
 * steps one batch is drawn and the online network takes one Adam step on
 * <pre>
 *   loss = mean_i huber(Q(s_i, a_i) - y_i, delta),   y_i = r_i + gamma (1 - terminal_i) Q'(s'_i, a*_i)
 *   a*_i = argmax_a Q'(s'_i, a)     (DQN)      or     argmax_a Q(s'_i, a)   (double DQN, van Hasselt et al. 2016)
 * </pre>
 * with the gradients' global norm clipped to {@code maxGradNorm}. {@code Q'} is the target network: every
 * {@code targetUpdateEvery} environment steps {@code theta' <- tau theta + (1 - tau) theta'} ({@code tau = 1}
 * a hard copy, smaller a soft Polyak update). A truncated step is not terminal, so its target bootstraps.
 */
public final class Dqn implements Agent {
    /** The agent's settings; see the class description for each one's role. */
    public record Options(int[] hidden, double gamma, double lr, int batchSize, int bufferCapacity, int learningStarts, int trainEvery,
                          int targetUpdateEvery, double tau, EpsilonSchedule epsilon, boolean doubleDqn, double huberDelta, double maxGradNorm) {
        /** Checks every setting, naming the one at fault. */
        public Options {
            Networks.checkOptions("Dqn", hidden, gamma);
            if (!(lr > 0)) throw new IllegalArgumentException("Dqn: learning rate " + lr + " must be positive");
            if (batchSize <= 0 || bufferCapacity < batchSize)
                throw new IllegalArgumentException("Dqn: batch size " + batchSize + " must be positive and at most the buffer capacity " + bufferCapacity);
            if (learningStarts < 0 || trainEvery <= 0 || targetUpdateEvery <= 0)
                throw new IllegalArgumentException("Dqn: learningStarts " + learningStarts + " must be non-negative, trainEvery " + trainEvery
                        + " and targetUpdateEvery " + targetUpdateEvery + " positive");
            if (!(tau > 0 && tau <= 1)) throw new IllegalArgumentException("Dqn: tau " + tau + " must be in (0, 1]");
            if (!(huberDelta > 0) || !(maxGradNorm > 0))
                throw new IllegalArgumentException("Dqn: huberDelta " + huberDelta + " and maxGradNorm " + maxGradNorm + " must be positive");
        }
    }

    private final Options options;
    private final int actionCount;
    private final Sequential online, target;
    private final Adam optimizer;
    private final ReplayBuffer buffer;
    private long steps;

    /** An agent for observations of length {@code observationSize} and {@code actionCount} actions; the target starts as a copy of the online network. */
    public Dqn(int observationSize, int actionCount, Options options, Random random) {
        this.options = options;
        this.actionCount = actionCount;
        int[] sizes = Networks.sizes(observationSize, options.hidden(), actionCount);
        online = Networks.mlp(random, sizes);
        target = Networks.mlp(random, sizes);
        target.loadStateDict(online.stateDict());
        optimizer = new Adam(online.parameters(), options.lr());
        buffer = new ReplayBuffer(options.bufferCapacity(), observationSize);
    }

    /** The online Q-network (observation in, one Q-value per action out). */
    public Sequential online() { return online; }

    /** The target network {@code Q'}. */
    Sequential target() { return target; }

    /** Environment steps taken in training so far. */
    public long steps() { return steps; }

    @Override
    public double trainEpisode(Environment env, Random random) {
        double[] obs = env.reset(random);
        double total = 0;
        while (true) {
            int a = random.nextDouble() < options.epsilon().value(steps) ? random.nextInt(actionCount) : greedyAction(obs);
            Environment.Step s = env.step(a);
            buffer.add(obs, a, s.reward(), s.observation(), s.terminated());
            total += s.reward();
            steps++;
            if (steps >= options.learningStarts() && steps % options.trainEvery() == 0) trainStep(random);
            if (steps % options.targetUpdateEvery() == 0) updateTarget();
            if (s.done()) return total;
            obs = s.observation();
        }
    }

    /** One Adam step of the online network on a batch from the buffer; returns the loss. */
    double trainStep(Random random) {
        ReplayBuffer.Batch b = buffer.sample(options.batchSize(), random);
        Tensor y = targets(b.rewards(), b.notDone(), target.forward(b.nextStates()), options.doubleDqn() ? online.forward(b.nextStates()) : null,
                options.gamma());
        int n = options.batchSize();
        Tensor index = Tensor.of(Arrays.stream(b.actions()).asDoubleStream().toArray(), n, 1);
        try (GradientTape tape = GradientTape.record()) {
            Tensor loss = Losses.huber(online.forward(b.states()).gather(1, index).reshape(n), y, options.huberDelta(), Losses.Reduction.MEAN);
            Gradients g = Clipping.byGlobalNorm(loss.backward(), options.maxGradNorm());
            optimizer.step(g);
            return loss.item();
        }
    }

    /**
     * The regression targets {@code y = r + gamma notDone Q'(s', a*)} ({@code [B]}) from rewards and
     * {@code notDone} {@code [B]} and the target network's {@code Q'(s', .)} {@code [B, A]}; {@code a*} is the
     * arg-max of {@code nextOnline} {@code [B, A]} (double DQN) or, when it is null, of {@code nextTarget}
     * itself. Computed without recording: the targets are constants of the loss.
     */
    static Tensor targets(Tensor rewards, Tensor notDone, Tensor nextTarget, Tensor nextOnline, double gamma) {
        int n = rewards.numel();
        if (nextTarget.rank() != 2 || nextTarget.size(0) != n || notDone.numel() != n
                || nextOnline != null && !Arrays.equals(nextOnline.shape(), nextTarget.shape()))
            throw new IllegalArgumentException("Dqn.targets: rewards " + Arrays.toString(rewards.shape()) + ", notDone " + Arrays.toString(notDone.shape())
                    + ", next Q " + Arrays.toString(nextTarget.shape()) + (nextOnline == null ? "" : " and " + Arrays.toString(nextOnline.shape())) + " do not match");
        try (GradientTape.Pause pause = GradientTape.pause()) {
            Tensor next = nextOnline == null ? nextTarget.max(1, false)
                    : nextTarget.gather(1, nextOnline.argmax(1).reshape(n, 1)).reshape(n);
            return rewards.add(notDone.mul(next.detach()).mul(gamma)).detach();
        }
    }

    /** {@code theta' <- tau theta + (1 - tau) theta'}, a copy when {@code tau = 1}. */
    void updateTarget() {
        if (options.tau() == 1) {
            target.loadStateDict(online.stateDict());
            return;
        }
        List<Parameter> from = online.parameters(), to = target.parameters();
        for (int i = 0; i < from.size(); i++)
            to.get(i).assign(to.get(i).value().mul(1 - options.tau()).add(from.get(i).value(), options.tau()).detach());
    }

    @Override
    public int greedyAction(double[] observation) { return Networks.argmax(Networks.outputs(online, observation)); }
}
