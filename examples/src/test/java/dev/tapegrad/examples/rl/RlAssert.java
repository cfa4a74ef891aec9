package dev.tapegrad.examples.rl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the reinforcement-learning tests. */
final class RlAssert {
    private RlAssert() {}

    /** {@code code} throws {@code type} whose message contains every one of {@code parts}. */
    static void assertMessage(Class<? extends RuntimeException> type, Executable code, String... parts) {
        String m = assertThrows(type, code).getMessage();
        for (String p : parts) assertTrue(m.contains(p), "message '" + m + "' lacks '" + p + "'");
    }
}
