package dev.tapegrad.autodiff.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each system property is refused, naming it and its value, when it is not an integer or out of its range (they were ignored, or failed later). */
class SettingsTest {

    private static void refused(Executable e, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
    }

    @Test
    void propertiesAreIntegersInTheirRanges() {
        assertEquals(7, Settings.integer("tapegrad.threads", null, 7));
        assertEquals(12, Settings.integer("tapegrad.threads", " 12 ", 7));
        assertEquals(7, Settings.integer("tapegrad.threads", "", 7));   // -Dtapegrad.threads= means the default, as before
        refused(() -> Settings.integer("tapegrad.threads", "abc", 7), "tapegrad.threads must be an integer, got 'abc'");
        refused(() -> Settings.integer("tapegrad.spinMicros", "1.5", 200), "tapegrad.spinMicros must be an integer, got '1.5'");
        assertEquals(1, Settings.threads(1));
        assertEquals(Settings.MAX_THREADS, Settings.threads(Settings.MAX_THREADS));
        refused(() -> Settings.threads(0), "tapegrad.threads must be 1 to 1024, got 0");
        refused(() -> Settings.threads(-3), "tapegrad.threads must be 1 to 1024, got -3");
        refused(() -> Settings.threads(100000), "tapegrad.threads must be 1 to 1024, got 100000");
        assertEquals(0, Settings.spinMicros(0));
        refused(() -> Settings.spinMicros(-1), "tapegrad.spinMicros must be 0 to 1000000 (a second), got -1");
        refused(() -> Settings.spinMicros(Long.MAX_VALUE), "tapegrad.spinMicros must be 0 to 1000000 (a second), got " + Long.MAX_VALUE);
        refused(() -> Settings.maxElements(-5), "tapegrad.maxElements must be positive, got -5");
        refused(() -> Settings.maxElements(0), "tapegrad.maxElements must be positive, got 0");
        assertEquals(Integer.MAX_VALUE - 8, Settings.maxElements(Long.MAX_VALUE));
        assertEquals(1000, Settings.maxElements(1000));
        refused(() -> Settings.tapeBudget(-1), "tapegrad.tapeBudgetBytes must be positive, got -1");
        assertEquals(1, Settings.tapeBudget(1));
        refused(() -> Settings.gemmRows(5), "tapegrad.gemmRows must be 4, 6 or 8 (or 0 for the automatic choice), got 5");
    }
}
