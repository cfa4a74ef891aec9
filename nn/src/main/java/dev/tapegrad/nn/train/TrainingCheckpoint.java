package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.data.DataLoader;
import dev.tapegrad.nn.data.Dataset;
import dev.tapegrad.nn.io.RandomState;
import dev.tapegrad.nn.io.Safetensors;
import dev.tapegrad.optim.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything training needs to resume exactly, in one safetensors file (every tensor CRC-32C checked on load):
 * the module's state dict under {@code model.*}, the optimizer's (learning rate included) under
 * {@code optimizer.*}, and the state of each random generator of the module ({@link Module#namedRandoms}) under
 * {@code random.NAME} as a FLOAT64 {@code [3]} tensor: the 48-bit LCG state, the cached Gaussian, and whether
 * there is one ({@link RandomState}). Metadata: {@code format = tapegrad-checkpoint}, {@code optimizer} = its
 * class. {@link #save}/{@link #load} write and read that (PyTorch's {@code torch.save} of model, optimizer and
 * RNG states).
 *
 * <p>A checkpoint written during {@link Model#fit} ({@link FitOptions#checkpointEvery}) also holds the fit's
 * position, read back by {@link FitOptions#resumeFrom}: {@code fit.*} (the epoch the call began at, the epoch, the
 * batches done in it, the data set and batch sizes, the epoch's running loss and metric sums, the shuffle's
 * generator as it was when the epoch drew its order, from which the same order is drawn again; metadata
 * {@code fit.seed}, {@code fit.metrics}, {@code fit.callbacks}), the data set's generators
 * ({@link Dataset#namedRandoms}) under {@code data.random.NAME}, the finished epochs' logs under
 * {@code history.EPOCH.KEY}, and each callback's {@link Callback#stateDict} under {@code callback.INDEX.KEY}.
 * A generator shared by several layers is saved once (under its first name); one shared between the model and
 * the data set is saved under both names with the same state.
 *
 * <p>Writing refuses (with an {@link IllegalStateException} naming it) a generator whose state could not be
 * restored exactly ({@link RandomState}'s limit), so a checkpoint that cannot be resumed is never written.
 * Loading validates everything before it changes anything: another kind of optimizer, other generator names,
 * a state that does not fit, or (when resuming) another data set size, batch size, seed, metric or callback
 * list is an {@link IllegalArgumentException} naming both sides, and leaves the model, the optimizer and the
 * generators as they were.
 */
public final class TrainingCheckpoint {
    private TrainingCheckpoint() {}

    private static final String FORMAT = "tapegrad-checkpoint";

    /** Writes the module's state, its generators' states and the optimizer's state to {@code file}, atomically. */
    public static void save(Path file, Module m, Optimizer o) { write(file, m, o, Map.of(), Map.of()); }

    /**
     * Restores what {@link #save} wrote (a checkpoint written during {@code fit} also loads; its fit position is
     * only used by {@link FitOptions#resumeFrom}). The module's generators are restored when the file holds them.
     */
    public static void load(Path file, Module m, Optimizer o) { Parsed.of(file).restore(m, o, Map.of(), () -> {}); }

    /** A checkpoint of a fit in progress (see the class comment). */
    static void save(Path file, Model model, Dataset data, FitOptions o, FitState s, History history) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("fit.first_epoch", Tensor.scalar(s.firstEpoch));
        t.put("fit.epoch", Tensor.scalar(s.epoch));
        t.put("fit.step", Tensor.scalar(s.step));
        t.put("fit.dataset_size", Tensor.scalar(data.size()));
        t.put("fit.batch_size", Tensor.scalar(o.batchSize));
        t.put("fit.seen", Tensor.scalar(s.seen));
        t.put("fit.loss_sum", Tensor.scalar(s.lossSum));
        for (int i = 0; i < s.metricSums.length; i++) t.put("fit.metric_sum." + i, Tensor.scalar(s.metricSums[i]));
        t.put("fit.non_finite", Tensor.scalar(s.nonFinite ? 1 : 0));
        t.put("fit.shuffle", tensor("fit.shuffle", s.shuffleAtEpochStart));
        data.namedRandoms().forEach((k, r) -> t.put("data.random." + k, tensor("data.random." + k, RandomState.of(r))));
        List<Map<String, Double>> epochs = history.epochs();
        for (int i = 0; i < epochs.size(); i++) for (Map.Entry<String, Double> e : epochs.get(i).entrySet()) t.put("history." + i + "." + e.getKey(), Tensor.scalar(e.getValue()));
        for (int i = 0; i < o.callbacks.size(); i++) for (Map.Entry<String, Tensor> e : o.callbacks.get(i).stateDict().entrySet()) t.put("callback." + i + "." + e.getKey(), e.getValue());
        write(file, model.module(), model.optimizer(), t, fitMetadata(model, o));
    }

    /**
     * Restores a fit checkpoint into {@code model}, the generators of {@code data}, {@code shuffle}, the callbacks
     * of {@code o} and {@code history}; returns the position to continue from.
     */
    static FitState resume(Path file, Model model, Dataset data, FitOptions o, Random shuffle, History history) {
        String where = "FitOptions.resumeFrom: " + file;
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(where + ": no such checkpoint file");
        Parsed p = Parsed.of(file);
        if (!p.groups.containsKey("fit")) throw new IllegalArgumentException(where + " holds no fit position (it was written by TrainingCheckpoint.save, not during fit)");
        Map<String, Tensor> fit = p.groups.get("fit");
        same(where, "a training set of", (int) number(where, fit, "dataset_size"), data.size(), "examples");
        same(where, "batch size", (int) number(where, fit, "batch_size"), o.batchSize, "");
        fitMetadata(model, o).forEach((k, v) -> {
            if (!v.equals(p.metadata.get(k)))
                throw new IllegalArgumentException(where + " was written by a fit with " + k.substring(4) + " '" + p.metadata.get(k) + "', this fit has '" + v + "'");
        });
        FitState s = new FitState((int) number(where, fit, "first_epoch"), model.metrics().size());
        s.beginEpoch((int) number(where, fit, "epoch"), state(where, fit, "shuffle"));
        s.step = (int) number(where, fit, "step");
        s.seen = (int) number(where, fit, "seen");
        s.lossSum = number(where, fit, "loss_sum");
        for (int i = 0; i < s.metricSums.length; i++) s.metricSums[i] = number(where, fit, "metric_sum." + i);
        s.nonFinite = number(where, fit, "non_finite") != 0;
        int batches = new DataLoader(data, o.batchSize).batches();
        if (s.step < 0 || s.step > batches || s.epoch < s.firstEpoch)
            throw new IllegalArgumentException(where + ": position epoch " + s.epoch + ", step " + s.step + " is outside a fit from epoch " + s.firstEpoch + " of " + batches + " batches");
        Map<Random, RandomState> randoms = randoms(where, "data.random.", sub(p.groups.getOrDefault("data", Map.of()), "random."), data.namedRandoms());
        randoms.put(shuffle, s.shuffleAtEpochStart);
        Map<String, Tensor> cb = p.groups.getOrDefault("callback", Map.of());
        p.restore(model.module(), model.optimizer(), randoms, () -> {
            for (int i = 0; i < o.callbacks.size(); i++) o.callbacks.get(i).loadStateDict(sub(cb, i + "."));
        });
        Map<Integer, Map<String, Double>> epochs = new TreeMap<>();
        p.groups.getOrDefault("history", Map.of()).forEach((k, v) -> {
            int dot = k.indexOf('.');
            if (dot <= 0 || !k.substring(0, dot).chars().allMatch(Character::isDigit)) throw new IllegalArgumentException(where + ": unexpected key 'history." + k + "'");
            epochs.computeIfAbsent(Integer.parseInt(k.substring(0, dot)), e -> new LinkedHashMap<>()).put(k.substring(dot + 1), v.item());
        });
        epochs.values().forEach(history::add);
        return s;
    }

    private static Map<String, String> fitMetadata(Model model, FitOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fit.seed", Long.toString(o.seed));
        m.put("fit.metrics", model.metrics().stream().map(Metric::name).collect(Collectors.joining(",")));
        m.put("fit.callbacks", o.callbacks.stream().map(c -> c.getClass().getName()).collect(Collectors.joining(",")));
        return m;
    }

    private static void write(Path file, Module m, Optimizer o, Map<String, Tensor> extra, Map<String, String> extraMetadata) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> all.put("model." + k, v));
        o.stateDict().forEach((k, v) -> all.put("optimizer." + k, v));
        m.namedRandoms().forEach((k, r) -> all.put("random." + k, tensor("random." + k, RandomState.of(r))));
        all.putAll(extra);
        Set<String> int64 = new HashSet<>();
        m.integralBuffers().forEach(k -> int64.add("model." + k));
        Map<String, String> metadata = new LinkedHashMap<>(Map.of("format", FORMAT, "optimizer", o.getClass().getSimpleName()));
        metadata.putAll(extraMetadata);
        Safetensors.save(file, all, metadata, int64);
    }

    /** A file's tensors by their first name segment ({@code model}, {@code optimizer}, {@code random}, ...), and its metadata. */
    private record Parsed(Path file, Map<String, Map<String, Tensor>> groups, Map<String, String> metadata) {
        private static final Set<String> GROUPS = Set.of("model", "optimizer", "random", "fit", "data", "history", "callback");

        static Parsed of(Path file) {
            Safetensors.Contents c = Safetensors.load(file);
            Map<String, Map<String, Tensor>> groups = new LinkedHashMap<>();
            c.tensors().forEach((k, v) -> {
                int dot = k.indexOf('.');
                String g = dot < 0 ? k : k.substring(0, dot);
                if (dot < 0 || !GROUPS.contains(g)) throw new IllegalArgumentException("TrainingCheckpoint.load: " + file + ": unexpected key '" + k + "'");
                groups.computeIfAbsent(g, x -> new LinkedHashMap<>()).put(k.substring(dot + 1), v);
            });
            String format = c.metadata().get("format");
            if (format != null && !format.equals(FORMAT))
                throw new IllegalArgumentException("TrainingCheckpoint.load: " + file + " has format '" + format + "', not a " + FORMAT);
            return new Parsed(file, groups, c.metadata());
        }

        /**
         * Validates everything, then runs {@code callbacks} (which restore the callbacks' states) and restores the
         * optimizer, the model, the module's generators and {@code extra} ones; the model, the optimizer and the
         * generators are left as they were when anything fails.
         */
        void restore(Module m, Optimizer o, Map<Random, RandomState> extra, Runnable callbacks) {
            String where = "TrainingCheckpoint.load: " + file;
            String kind = metadata.get("optimizer");
            if (kind != null && !kind.equals(o.getClass().getSimpleName()))
                throw new IllegalArgumentException(where + " holds the state of " + kind + ", not of " + o.getClass().getSimpleName());
            Map<Random, RandomState> all = new IdentityHashMap<>(extra);
            if (groups.containsKey("random")) all.putAll(randoms(where, "random.", groups.get("random"), m.namedRandoms()));
            all.values().forEach(s -> s.restore(new Random()));
            callbacks.run();
            // Each loadStateDict validates everything before it assigns; the optimizer goes first and is put back if
            // the model's state does not fit.
            Map<String, Tensor> before = o.stateDict();
            o.loadStateDict(groups.getOrDefault("optimizer", Map.of()));
            try {
                m.loadStateDict(groups.getOrDefault("model", Map.of()));
            } catch (RuntimeException e) {
                o.loadStateDict(before);
                throw e;
            }
            all.forEach((r, s) -> s.restore(r));
        }
    }

    /**
     * The states in {@code saved} for the generators {@code current}, by instance (each restore is first tried on a
     * scratch generator, so one that cannot be rebuilt fails before anything changes); the names must be the same.
     */
    private static Map<Random, RandomState> randoms(String where, String prefix, Map<String, Tensor> saved, Map<String, Random> current) {
        if (!saved.keySet().equals(current.keySet()))
            throw new IllegalArgumentException(where + ": the checkpoint's generators " + names(prefix, saved.keySet()) + " are not this fit's " + names(prefix, current.keySet()));
        Map<Random, RandomState> out = new IdentityHashMap<>();
        current.forEach((k, r) -> out.put(r, state(where, saved, k)));
        return out;
    }

    private static List<String> names(String prefix, Set<String> keys) { return keys.stream().map(k -> prefix + k).toList(); }

    /**
     * The state as {@code [seed, cached Gaussian, 1 or 0]}, after proving on a scratch generator that it can be
     * restored (so a checkpoint that could not be resumed is refused when written, not after a crash).
     */
    private static Tensor tensor(String name, RandomState s) {
        try {
            s.restore(new Random());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("TrainingCheckpoint.save: generator '" + name + "' could not be restored exactly: " + e.getMessage(), e);
        }
        return Tensor.of(new double[] {s.seed(), s.nextNextGaussian(), s.haveNextNextGaussian() ? 1 : 0});
    }

    private static RandomState state(String where, Map<String, Tensor> group, String key) {
        Tensor t = group.get(key);
        double[] v = t == null || t.numel() != 3 ? null : t.toDoubleArray();
        if (v == null || v[0] != Math.rint(v[0]) || (v[2] != 0 && v[2] != 1))
            throw new IllegalArgumentException(where + ": generator state '" + key + "' is " + (t == null ? "missing" : "not [seed, cached Gaussian, 0 or 1]"));
        if (!(v[0] >= 0 && v[0] < 0x1p48)) throw new IllegalArgumentException(where + ": generator state '" + key + "' has seed " + v[0] + ", not a 48-bit state in [0, 2^48)");
        return new RandomState((long) v[0], v[1], v[2] == 1);
    }

    private static double number(String where, Map<String, Tensor> group, String key) {
        Tensor t = group.get(key);
        if (t == null || t.numel() != 1) throw new IllegalArgumentException(where + ": no number 'fit." + key + "'");
        return t.item();
    }

    private static void same(String where, String what, int saved, int now, String unit) {
        if (saved != now)
            throw new IllegalArgumentException(where + " was written for " + what + " " + saved + (unit.isEmpty() ? "" : " " + unit) + ", this fit has " + now);
    }

    /** The entries of {@code m} whose keys start with {@code prefix}, without it. */
    private static Map<String, Tensor> sub(Map<String, Tensor> m, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((key, v) -> { if (key.startsWith(prefix)) out.put(key.substring(prefix.length()), v); });
        return out;
    }
}
