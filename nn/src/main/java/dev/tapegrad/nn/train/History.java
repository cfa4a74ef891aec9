package dev.tapegrad.nn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-epoch logs of a {@link Model#fit} run ({@code loss}, metrics, {@code val_*}, {@code lr}), as Keras' {@code History}. */
public final class History {
    private final List<Map<String, Double>> epochs = new ArrayList<>();

    void add(Map<String, Double> logs) { epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(logs))); }

    /** The logs of each epoch, in order. */
    public List<Map<String, Double>> epochs() { return Collections.unmodifiableList(epochs); }

    /** One key's value per epoch. */
    public double[] get(String key) {
        return epochs.stream().mapToDouble(e -> {
            Double v = e.get(key);
            if (v == null) throw new IllegalArgumentException("History: no key '" + key + "' (keys: " + e.keySet() + ")");
            return v;
        }).toArray();
    }

    /** The last epoch's logs. */
    public Map<String, Double> last() {
        if (epochs.isEmpty()) throw new IllegalStateException("History: no epochs");
        return epochs.get(epochs.size() - 1);
    }
}
