package dev.tapegrad.nn.data;

import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A dataset whose input batches pass through a transform (data augmentation); targets are unchanged. The
 * built-in transforms are {@link Transform}s that know the generators they draw from, so the dataset lists
 * them ({@link #namedRandoms}: {@code transform.0}, {@code transform.1}, ..., then the base dataset's under
 * {@code base.}) and training checkpoints restore them; wrap a transform of your own that draws random numbers
 * as {@code new Augmented.Transform(function, List.of(random))} for the same.
 */
public final class Augmented implements Dataset {
    private final Dataset base;
    private final UnaryOperator<Tensor> transform;

    public Augmented(Dataset base, UnaryOperator<Tensor> transform) {
        this.base = base;
        this.transform = transform;
    }

    /** A batch transform and the generators it draws from (each instance listed once). */
    public record Transform(UnaryOperator<Tensor> function, List<Random> randoms) implements UnaryOperator<Tensor> {
        /** Checks for nulls and copies the list. */
        public Transform {
            java.util.Objects.requireNonNull(function, "Augmented.Transform: function is null");
            randoms = List.copyOf(java.util.Objects.requireNonNull(randoms, "Augmented.Transform: randoms is null"));
        }

        @Override
        public Tensor apply(Tensor x) { return function.apply(x); }
    }

    /** The transform's generators ({@code transform.i}), then the base dataset's ({@code base.NAME}). */
    @Override
    public Map<String, Random> namedRandoms() {
        Map<String, Random> out = new LinkedHashMap<>();
        List<Random> own = transform instanceof Transform t ? t.randoms() : List.of();
        for (int i = 0; i < own.size(); i++) out.put("transform." + i, own.get(i));
        base.namedRandoms().forEach((k, r) -> out.put("base." + k, r));
        return out;
    }

    @Override
    public int size() { return base.size(); }

    @Override
    public Tensor inputs(int[] indices) { return transform.apply(base.inputs(indices)); }

    @Override
    public Tensor targets(int[] indices) { return base.targets(indices); }

    /**
     * Shifts each image of a batch by a random whole number of pixels in {@code [-max, max]} along each
     * axis, filling with {@code fill}; images are {@code [B, H*W]} (square) or {@code [B, C, H, W]}.
     */
    public static Transform randomShift(int max, double fill, Random random) {
        if (max < 0) throw new IllegalArgumentException("randomShift: the largest shift " + max + " is negative");
        java.util.Objects.requireNonNull(random, "randomShift: random is null");
        return new Transform(x -> {
            int[] s = x.shape();
            int b = s[0], h, w, c;
            if (s.length == 2) {
                h = w = (int) Math.round(Math.sqrt(s[1]));
                c = 1;
                if (h * w != s[1]) throw new IllegalArgumentException("randomShift: flat images " + Shape.str(s) + " are not square");
            } else if (s.length == 4) {
                c = s[1];
                h = s[2];
                w = s[3];
            } else {
                throw new IllegalArgumentException("randomShift: expected [B, H*W] or [B, C, H, W], got " + Shape.str(s));
            }
            if (max >= Math.min(h, w))
                throw new IllegalArgumentException("randomShift: a shift of up to " + max + " pixels does not fit images of " + h + "x" + w);
            float[] in = x.toFloatArray(), out = new float[in.length];
            java.util.Arrays.fill(out, (float) fill);
            int plane = h * w;
            for (int i = 0; i < b; i++) {
                int dy = random.nextInt(2 * max + 1) - max, dx = random.nextInt(2 * max + 1) - max;
                for (int ch = 0; ch < c; ch++) {
                    int base = (i * c + ch) * plane;
                    for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++)
                        System.arraycopy(in, base + (y - dy) * w + Math.max(0, -dx), out, base + y * w + Math.max(0, dx), w - Math.abs(dx));
                }
            }
            return Tensor.of(out, s).to(x.dtype());
        }, List.of(random));
    }

    /** Mirrors each image of a batch {@code [B, C, H, W]} left-right with probability 1/2. */
    public static Transform randomHorizontalFlip(Random random) {
        java.util.Objects.requireNonNull(random, "randomHorizontalFlip: random is null");
        return new Transform(x -> {
            int[] s = x.shape();
            if (s.length != 4) throw new IllegalArgumentException("randomHorizontalFlip: expected [B, C, H, W], got " + Shape.str(s));
            float[] v = x.toFloatArray();
            int w = s[3], rows = s[1] * s[2], per = rows * w;
            for (int i = 0; i < s[0]; i++) {
                if (!random.nextBoolean()) continue;
                for (int r = 0; r < rows; r++) {
                    int o = i * per + r * w;
                    for (int a = 0, b = w - 1; a < b; a++, b--) {
                        float t = v[o + a];
                        v[o + a] = v[o + b];
                        v[o + b] = t;
                    }
                }
            }
            return Tensor.of(v, s).to(x.dtype());
        }, List.of(random));
    }

    /** {@code first} then {@code second}, with the generators of both (each instance once). */
    public static Transform both(UnaryOperator<Tensor> first, UnaryOperator<Tensor> second) {
        java.util.Objects.requireNonNull(first, "Augmented.both: first is null");
        java.util.Objects.requireNonNull(second, "Augmented.both: second is null");
        List<Random> rs = new ArrayList<>();
        for (UnaryOperator<Tensor> t : List.of(first, second))
            if (t instanceof Transform tr) for (Random r : tr.randoms()) if (rs.stream().noneMatch(q -> q == r)) rs.add(r);
        return new Transform(x -> second.apply(first.apply(x)), rs);
    }
}
