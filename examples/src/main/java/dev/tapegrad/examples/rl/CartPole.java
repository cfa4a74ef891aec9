package dev.tapegrad.examples.rl;

import java.util.Arrays;
import java.util.Random;

/**
 * The cart-pole of Barto, Sutton &amp; Anderson (1983) exactly as gymnasium's {@code CartPole-v1} implements it
 * ({@code gymnasium/envs/classic_control/cartpole.py}). State {@code (x, xDot, theta, thetaDot)}; action 0
 * pushes the cart left with force {@code -10}, action 1 right with {@code +10}. One step of length
 * {@code tau = 0.02} s, with gravity {@code g = 9.8}, cart mass 1.0, pole mass {@code m = 0.1}, total mass
 * {@code M = 1.1}, half pole length {@code l = 0.5}:
 * <pre>
 *   temp     = (F + m l thetaDot^2 sin(theta)) / M
 *   thetaAcc = (g sin(theta) - cos(theta) temp) / (l (4/3 - m cos(theta)^2 / M))
 *   xAcc     = temp - m l thetaAcc cos(theta) / M
 *   x += tau xDot;  xDot += tau xAcc;  theta += tau thetaDot;  thetaDot += tau thetaAcc   (explicit Euler)
 * </pre>
 * The episode terminates when {@code |x| > 2.4} or {@code |theta| > 12 * 2 pi / 360} radians, and is
 * truncated after {@code maxSteps} steps (500 for v1, 200 for v0: gymnasium's {@code TimeLimit}); a last step
 * that also fails reports both flags, as gymnasium does (value targets then treat it as terminal). Every step, including the terminating one, gives reward 1. The start
 * state is uniform in {@code [-0.05, 0.05]^4}.
 *
 * <p>As in gymnasium, the state is kept in double precision and the observation is that state rounded to
 * float32 (returned as doubles). Unlike gymnasium, which warns and returns reward 0, stepping after the
 * episode ended is an {@link IllegalStateException}.
 */
public final class CartPole implements Environment {
    static final double GRAVITY = 9.8, MASS_CART = 1.0, MASS_POLE = 0.1, TOTAL_MASS = MASS_POLE + MASS_CART, LENGTH = 0.5,
            POLE_MASS_LENGTH = MASS_POLE * LENGTH, FORCE = 10.0, TAU = 0.02, X_THRESHOLD = 2.4,
            THETA_THRESHOLD = 12 * 2 * Math.PI / 360;

    private final int maxSteps;
    private double[] state;
    private int steps;
    private boolean over = true;

    /** A cart-pole truncated after {@code maxSteps} steps (500: {@code CartPole-v1}, 200: {@code CartPole-v0}). */
    public CartPole(int maxSteps) {
        if (maxSteps <= 0) throw new IllegalArgumentException("CartPole: maxSteps " + maxSteps + " must be positive");
        this.maxSteps = maxSteps;
    }

    /** The episode length at which a run is truncated. */
    public int maxSteps() { return maxSteps; }

    @Override
    public double[] reset(Random random) {
        double[] s = new double[4];
        for (int i = 0; i < 4; i++) s[i] = -0.05 + 0.1 * random.nextDouble();
        return reset(s);
    }

    /** Starts an episode from {@code state} {@code (x, xDot, theta, thetaDot)}, which must be 4 finite values. */
    public double[] reset(double[] state) {
        if (state.length != 4 || !Arrays.stream(state).allMatch(Double::isFinite))
            throw new IllegalArgumentException("CartPole.reset: state must be 4 finite values (x, xDot, theta, thetaDot), got " + Arrays.toString(state));
        this.state = state.clone();
        steps = 0;
        over = false;
        return observation();
    }

    /** The current state in double precision (a copy). */
    public double[] state() {
        if (state == null) throw new IllegalStateException("CartPole.state: call reset first");
        return state.clone();
    }

    @Override
    public Step step(int action) {
        Environment.checkAction("CartPole", action, 2);
        if (over)
            throw new IllegalStateException("CartPole.step: the episode " + (state == null ? "was never started" : "ended after " + steps + " steps")
                    + "; call reset first");
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = action == 1 ? FORCE : -FORCE, cos = Math.cos(theta), sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cos * cos) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        state = new double[] {x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc};
        steps++;
        boolean terminated = Math.abs(state[0]) > X_THRESHOLD || Math.abs(state[2]) > THETA_THRESHOLD;
        boolean truncated = steps >= maxSteps;
        over = terminated || truncated;
        return new Step(observation(), 1.0, terminated, truncated);
    }

    private double[] observation() {
        double[] o = new double[4];
        for (int i = 0; i < 4; i++) o[i] = (float) state[i];
        return o;
    }

    @Override
    public int observationSize() { return 4; }

    @Override
    public int actionCount() { return 2; }
}
