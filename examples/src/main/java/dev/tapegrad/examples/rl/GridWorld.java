package dev.tapegrad.examples.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A grid world given as text, one line per row: {@code .} a free cell, {@code S} the start (free),
 * {@code #} a wall, {@code G} a goal, {@code P} a pit. Actions 0 up, 1 right, 2 down, 3 left; a move into a
 * wall or off the grid leaves the agent where it is. With slip probability {@code p} the agent moves in
 * the intended direction with probability {@code 1 - p} and in each perpendicular direction with
 * {@code p / 2} (Russell &amp; Norvig use {@code p = 0.2}); slips are drawn from the {@link Random} given to
 * {@link #reset}. Entering a goal gives {@code rewards.goal()}, entering a pit {@code rewards.pit()}, and
 * both end the episode ({@code terminated}); every other move gives {@code rewards.step()}. An episode is
 * truncated after {@code maxSteps} moves.
 *
 * <p>States are the non-wall cells numbered row by row; the observation is the one-hot vector of the
 * state ({@link #observationSize()} = number of states). An episode starts at {@code S} or, with exploring
 * starts (or a layout without {@code S}), at a uniformly drawn non-terminal state. {@link #transitions}
 * exposes the model for value iteration.
 */
public final class GridWorld implements Environment {
    /** The 4x3 world of Russell &amp; Norvig (AIMA, Fig. 17.1): step reward -0.04, goal +1, pit -1. */
    public static final String RUSSELL_NORVIG = """
            ...G
            .#.P
            S...""";

    /** An 8x8 maze with four pits, the start top left and the goal bottom right. */
    public static final String LARGE = """
            S...#...
            .##.#.#.
            .#..P.#.
            .#.##.#.
            ...#..P.
            .#.#.##.
            .P...#..
            ...#.P.G""";

    /** Rewards for an ordinary move, for entering a goal and for entering a pit. */
    public record Rewards(double step, double goal, double pit) {
        /** Russell &amp; Norvig's: -0.04 per move, +1 and -1. */
        public static final Rewards RUSSELL_NORVIG = new Rewards(-0.04, 1, -1);
    }

    /** One outcome of an action in a state: its probability, the next state, the reward and whether the episode ends there. */
    public record Transition(double probability, int next, double reward, boolean terminal) {}

    private static final int[] DR = {-1, 0, 1, 0}, DC = {0, 1, 0, -1};

    private final int rows, cols, start, maxSteps;
    private final int[] stateOfCell, row, col;
    private final char[] kind;
    private final double slip;
    private final Rewards rewards;
    private final boolean exploringStarts;
    private Random random;
    private int state = -1, steps;
    private boolean over = true;

    /**
     * A grid from {@code layout} (rows of equal length over {@code .S#GP}, at least one goal, at most one
     * start), slip probability in {@code [0, 1]}, truncation after {@code maxSteps} moves.
     */
    public GridWorld(String layout, double slip, Rewards rewards, int maxSteps, boolean exploringStarts) {
        String[] lines = layout.strip().split("\n");
        rows = lines.length;
        cols = lines[0].strip().length();
        if (!(slip >= 0 && slip <= 1)) throw new IllegalArgumentException("GridWorld: slip probability " + slip + " must be in [0, 1]");
        if (maxSteps <= 0) throw new IllegalArgumentException("GridWorld: maxSteps " + maxSteps + " must be positive");
        stateOfCell = new int[rows * cols];
        List<Integer> cells = new ArrayList<>();
        StringBuilder kinds = new StringBuilder();
        int s = -1;
        for (int r = 0; r < rows; r++) {
            String line = lines[r].strip();
            if (line.length() != cols)
                throw new IllegalArgumentException("GridWorld: row " + r + " '" + line + "' has " + line.length() + " cells, row 0 has " + cols);
            for (int c = 0; c < cols; c++) {
                char k = line.charAt(c);
                if (".S#GP".indexOf(k) < 0)
                    throw new IllegalArgumentException("GridWorld: unknown cell '" + k + "' at row " + r + ", column " + c + " (use . S # G P)");
                stateOfCell[r * cols + c] = k == '#' ? -1 : cells.size();
                if (k == '#') continue;
                if (k == 'S') {
                    if (s >= 0) throw new IllegalArgumentException("GridWorld: more than one start S");
                    s = cells.size();
                }
                cells.add(r * cols + c);
                kinds.append(k == 'S' ? '.' : k);
            }
        }
        kind = kinds.toString().toCharArray();
        if (kinds.indexOf("G") < 0) throw new IllegalArgumentException("GridWorld: the layout has no goal G");
        row = cells.stream().mapToInt(i -> i / cols).toArray();
        col = cells.stream().mapToInt(i -> i % cols).toArray();
        this.start = s;
        this.slip = slip;
        this.rewards = rewards;
        this.maxSteps = maxSteps;
        this.exploringStarts = exploringStarts || s < 0;
    }

    /** The number of rows of the grid. */
    public int rows() { return rows; }

    /** The number of columns of the grid. */
    public int cols() { return cols; }

    /** The state of cell ({@code r}, {@code c}), or -1 for a wall. */
    public int stateAt(int r, int c) { return stateOfCell[r * cols + c]; }

    /** The row of {@code state}. */
    public int row(int state) { return row[state]; }

    /** The column of {@code state}. */
    public int col(int state) { return col[state]; }

    /** Whether entering {@code state} ends an episode (a goal or a pit). */
    public boolean isTerminal(int state) { return kind[state] != '.'; }

    /** {@code 'G'}, {@code 'P'} or {@code '.'} (free, start included). */
    public char kind(int state) { return kind[state]; }

    /** The number of states (non-wall cells). */
    public int stateCount() { return kind.length; }

    /** The current state. */
    public int state() {
        if (state < 0) throw new IllegalStateException("GridWorld.state: call reset first");
        return state;
    }

    @Override
    public double[] reset(Random random) {
        this.random = random;
        if (exploringStarts) {
            do state = random.nextInt(kind.length); while (isTerminal(state));
        } else {
            state = start;
        }
        steps = 0;
        over = false;
        return oneHot(state);
    }

    @Override
    public Step step(int action) {
        Environment.checkAction("GridWorld", action, 4);
        if (over)
            throw new IllegalStateException("GridWorld.step: the episode " + (state < 0 ? "was never started" : "ended after " + steps + " steps")
                    + "; call reset first");
        double u = random.nextDouble();
        int direction = u < 1 - slip ? action : u < 1 - slip / 2 ? (action + 1) % 4 : (action + 3) % 4;
        state = move(state, direction);
        steps++;
        boolean terminated = isTerminal(state);
        over = terminated || steps >= maxSteps;
        return new Step(oneHot(state), reward(state), terminated, steps >= maxSteps);
    }

    /**
     * The outcomes of {@code action} in {@code state}: the intended move with probability {@code 1 - slip}
     * and each perpendicular move with {@code slip / 2} (entries of probability 0 are left out).
     */
    public List<Transition> transitions(int state, int action) {
        Environment.checkAction("GridWorld", action, 4);
        List<Transition> out = new ArrayList<>(3);
        double[] p = {1 - slip, slip / 2, slip / 2};
        int[] direction = {action, (action + 1) % 4, (action + 3) % 4};
        for (int i = 0; i < 3; i++) {
            if (p[i] == 0) continue;
            int next = move(state, direction[i]);
            out.add(new Transition(p[i], next, reward(next), isTerminal(next)));
        }
        return out;
    }

    private int move(int s, int direction) {
        int r = row[s] + DR[direction], c = col[s] + DC[direction];
        if (r < 0 || r >= rows || c < 0 || c >= cols || stateOfCell[r * cols + c] < 0) return s;
        return stateOfCell[r * cols + c];
    }

    private double reward(int entered) {
        return switch (kind[entered]) {
            case 'G' -> rewards.goal();
            case 'P' -> rewards.pit();
            default -> rewards.step();
        };
    }

    /** The one-hot observation of {@code state}. */
    public double[] oneHot(int state) {
        double[] o = new double[kind.length];
        o[state] = 1;
        return o;
    }

    @Override
    public int observationSize() { return kind.length; }

    @Override
    public int actionCount() { return 4; }
}
