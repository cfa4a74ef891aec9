package dev.tapegrad.examples.rl;

import static dev.tapegrad.examples.rl.RlAssert.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The grid world's moves, rewards and model; value iteration against Russell &amp; Norvig; tabular Q-learning against value iteration. */
class GridWorldTest {
    static final int UP = 0, RIGHT = 1, DOWN = 2, LEFT = 3;

    static GridWorld rn(double slip) { return new GridWorld(GridWorld.RUSSELL_NORVIG, slip, GridWorld.Rewards.RUSSELL_NORVIG, 100, false); }

    @Test
    void movesAreBlockedByWallsAndEdgesAndEndInGoalsAndPits() {
        GridWorld w = rn(0);
        assertEquals(11, w.stateCount());
        assertEquals(11, w.observationSize());
        assertEquals(-1, w.stateAt(1, 1));
        double[] obs = w.reset(new Random(0));
        assertEquals(w.stateAt(2, 0), w.state());
        assertEquals(1, obs[w.state()]);
        assertEquals(1, java.util.Arrays.stream(obs).sum());
        assertEquals(-0.04, w.step(LEFT).reward());                  // off the grid: stays
        assertEquals(w.stateAt(2, 0), w.state());
        w.step(RIGHT);
        w.step(UP);                                                  // into the wall at (1, 1): stays
        assertEquals(w.stateAt(2, 1), w.state());
        w.step(RIGHT);
        w.step(UP);
        Environment.Step pit = w.step(RIGHT);
        assertEquals(w.stateAt(1, 3), w.state());
        assertTrue(pit.terminated() && pit.reward() == -1);
        w.reset(new Random(0));
        for (int a : new int[] {UP, UP, RIGHT, RIGHT}) assertFalse(w.step(a).done());
        Environment.Step goal = w.step(RIGHT);
        assertTrue(goal.terminated() && goal.reward() == 1 && w.kind(w.state()) == 'G');
    }

    @Test
    void slipsGoPerpendicularWithTheirProbability() {
        GridWorld w = rn(0.2);
        List<GridWorld.Transition> t = w.transitions(w.stateAt(2, 0), UP);
        assertEquals(List.of(new GridWorld.Transition(0.8, w.stateAt(1, 0), -0.04, false), new GridWorld.Transition(0.1, w.stateAt(2, 1), -0.04, false),
                new GridWorld.Transition(0.1, w.stateAt(2, 0), -0.04, false)), t);
        int[] counts = new int[w.stateCount()];
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            w.reset(r);
            w.step(UP);
            counts[w.state()]++;
        }
        assertEquals(0.8, counts[w.stateAt(1, 0)] / 20_000.0, 0.01);
        assertEquals(0.1, counts[w.stateAt(2, 1)] / 20_000.0, 0.01);
        assertEquals(1, rn(0).transitions(0, DOWN).size());
    }

    @Test
    void truncatesAfterMaxStepsAndExploringStartsCoverEveryNonTerminalState() {
        GridWorld w = new GridWorld(GridWorld.RUSSELL_NORVIG, 0, GridWorld.Rewards.RUSSELL_NORVIG, 2, true);
        boolean[] seen = new boolean[w.stateCount()];
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            w.reset(r);
            seen[w.state()] = true;
        }
        for (int s = 0; s < w.stateCount(); s++) assertEquals(!w.isTerminal(s), seen[s], "state " + s);
        w.reset(new Random(2));
        Environment.Step last;
        do last = w.step(LEFT); while (!last.done());
        assertTrue(last.truncated() && !last.terminated() || last.terminated());
    }

    @Test
    void valueIterationReproducesRussellAndNorvigsUtilities() {
        // AIMA Fig. 17.3 (gamma 1, R = -0.04, slip 0.2) gives U(s) including the reward of s itself; rewards here
        // come on entering a state, so V(s) = U(s) + 0.04.
        GridWorld w = rn(0.2);
        ValueIteration.Solution sol = ValueIteration.solve(w, 1, 1e-12);
        double[][] u = {{0.812, 0.868, 0.918, Double.NaN}, {0.762, Double.NaN, 0.660, Double.NaN}, {0.705, 0.655, 0.611, 0.388}};
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) {
                int s = w.stateAt(r, c);
                if (s >= 0 && !w.isTerminal(s)) assertEquals(u[r][c] + 0.04, sol.values()[s], 5e-4, "(" + r + ", " + c + ")");
            }
        // Fig. 17.2's policy: up the left column, along the top row; (2, 1..3) go left, away from the pit, (1, 2) up
        int[][] policy = {{RIGHT, RIGHT, RIGHT}, {UP, -1, UP}, {UP, LEFT, LEFT, LEFT}};
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < policy[r].length; c++)
                if (policy[r][c] >= 0) assertTrue(sol.isOptimal(w.stateAt(r, c), policy[r][c], 1e-9), "(" + r + ", " + c + ")");
        assertFalse(sol.isOptimal(w.stateAt(2, 3), UP, 1e-9));
    }

    @Test
    void tabularQLearningFindsAnOptimalActionInEveryState() {
        GridWorld w = new GridWorld(GridWorld.LARGE, 0, GridWorld.Rewards.RUSSELL_NORVIG, 100, true);
        ValueIteration.Solution sol = ValueIteration.solve(w, 0.95, 1e-12);
        GridWorld fromStart = new GridWorld(GridWorld.LARGE, 0, GridWorld.Rewards.RUSSELL_NORVIG, 100, false);
        fromStart.reset(new Random(0));
        Environment.Step step;
        do step = fromStart.step(optimal(sol, fromStart.state())); while (!step.done());
        assertTrue(step.terminated() && fromStart.kind(fromStart.state()) == 'G', "an optimal path leads from S to the goal");
        QLearning q = new QLearning(w.stateCount(), 0.5, 0.95, new EpsilonSchedule(1, 0.1, 20_000));
        Random r = new Random(4);
        for (int e = 0; e < 3000; e++) q.trainEpisode(w, r);
        int[] greedy = new int[w.stateCount()];
        for (int s = 0; s < greedy.length; s++) greedy[s] = q.greedy(s);
        assertEquals(1.0, sol.optimalShare(w, greedy, 1e-6));
        for (int s = 0; s < greedy.length; s++) if (!w.isTerminal(s)) assertEquals(sol.values()[s], q.table()[s][greedy[s]], 1e-6);
        assertEquals(greedy[5], q.greedyAction(w.oneHot(5)));
    }

    static int optimal(ValueIteration.Solution sol, int s) {
        for (int a = 0; a < 4; a++) if (sol.isOptimal(s, a, 1e-9)) return a;
        throw new AssertionError("no optimal action in state " + s);
    }

    @Test
    void badLayoutsActionsAndOptionsAreNamed() {
        GridWorld.Rewards rw = GridWorld.Rewards.RUSSELL_NORVIG;
        assertMessage(IllegalArgumentException.class, () -> new GridWorld("..G\n..", 0, rw, 10, false), "GridWorld", "row 1", "has 2 cells", "3");
        assertMessage(IllegalArgumentException.class, () -> new GridWorld("..G\n.x.", 0, rw, 10, false), "unknown cell 'x'", "row 1, column 1");
        assertMessage(IllegalArgumentException.class, () -> new GridWorld("...\nS..", 0, rw, 10, false), "no goal");
        assertMessage(IllegalArgumentException.class, () -> new GridWorld("S.G\nS..", 0, rw, 10, false), "more than one start");
        assertMessage(IllegalArgumentException.class, () -> new GridWorld("S.G", 1.5, rw, 10, false), "slip probability 1.5");
        assertMessage(IllegalArgumentException.class, () -> new GridWorld("S.G", 0, rw, 0, false), "maxSteps 0");
        GridWorld w = rn(0);
        assertMessage(IllegalStateException.class, () -> w.step(0), "GridWorld.step", "never started");
        assertMessage(IllegalStateException.class, w::state, "reset first");
        w.reset(new Random(0));
        assertMessage(IllegalArgumentException.class, () -> w.step(4), "GridWorld.step", "action 4", "[0, 4)");
        assertMessage(IllegalArgumentException.class, () -> w.transitions(0, -1), "action -1");
        assertMessage(IllegalArgumentException.class, () -> ValueIteration.solve(w, 1.5, 1e-9), "ValueIteration", "gamma 1.5");
        assertMessage(IllegalArgumentException.class, () -> new QLearning(11, 0, 0.9, new EpsilonSchedule(1, 0, 10)), "QLearning", "alpha 0.0");
        assertMessage(IllegalArgumentException.class, () -> new QLearning(11, 0.5, 0.9, new EpsilonSchedule(1, 0, 10)).trainEpisode(new CartPole(10), new Random()),
                "QLearning", "GridWorld of 11 states", "CartPole");
        assertArrayEquals(new double[] {0, 0, 1}, new GridWorld("S.G", 0, rw, 5, false).oneHot(2), 0);
    }
}
