package dev.tapegrad.nn;

import static dev.tapegrad.nn.LayerGradientTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autodiff.Attention;
import dev.tapegrad.autodiff.DType;
import dev.tapegrad.autodiff.GradCheck;
import dev.tapegrad.autodiff.Gradients;
import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.io.Safetensors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The attention layers: forward values and gradients (inputs and every parameter) against PyTorch through the
 * fixtures of {@code nn/tools/fixtures/attention.py} (which also proves that PyTorch's state dicts load under
 * their own names), first- and second-order gradient checks with the parameters as checked inputs, the
 * positional encodings, summaries, and bad input.
 */
class AttentionLayersTest {
    private static final double TOL = 1e-9;

    // ---------------------------------------------------------------- PyTorch fixtures

    /** One fixture file: the state dict, inputs, masks, cotangents, outputs and gradients of the script. */
    private record Fixture(String name, Map<String, Tensor> t) {
        static Fixture load(String name) {
            try {
                Path p = Path.of(AttentionLayersTest.class.getResource("/fixtures/attention/" + name + ".safetensors").toURI());
                return new Fixture(name, Safetensors.load(p).tensors());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        Tensor get(String key) {
            Tensor v = t.get(key);
            assertNotNull(v, () -> name + " has no tensor " + key + " (has " + t.keySet() + ")");
            return v;
        }

        Tensor mask(String key) { return t.get("mask." + key); }

        Map<String, Tensor> params() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            t.forEach((k, v) -> { if (k.startsWith("param.")) out.put(k.substring(6), v); });
            return out;
        }

        /**
         * Loads the state dict into {@code m} (FLOAT64), runs {@code run} on the named inputs, and compares every
         * output, every input's gradient and every parameter's gradient with PyTorch's.
         */
        void check(Module m, Function<Tensor[], Map<String, Tensor>> run, String... inputs) {
            if (m != null) {
                m.to(DType.FLOAT64);
                m.loadStateDict(params());
            }
            Tensor[] leaves = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) leaves[i] = get("input." + inputs[i]).requiresGrad();
            Gradients g;
            Map<String, Tensor> outputs;
            try (GradientTape tape = GradientTape.record()) {
                outputs = run.apply(leaves);
                Tensor loss = null;
                for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
                    Tensor term = e.getValue().mul(get("cotangent." + e.getKey())).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                g = loss.backward();
            }
            outputs.forEach((k, v) -> close(k, get(k), v));
            for (int i = 0; i < inputs.length; i++) close("grad of " + inputs[i], get("grad." + inputs[i]), g.get(leaves[i]));
            if (m != null) m.namedParameters().forEach((k, p) -> close("grad of " + k, get("grad.param." + k), g.get(p)));
        }

        private void close(String what, Tensor want, Tensor got) {
            assertNotNull(got, () -> name + ": no " + what);
            assertArrayEquals(want.shape(), got.shape(), () -> name + ": shape of " + what);
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), TOL, () -> name + ": " + what);
        }
    }

    @Test
    void scaledDotProductMatchesPyTorchIncludingAFullyMaskedRow() {
        Fixture f = Fixture.load("sdpa_mask");
        f.check(null, t -> Map.of("output", Attention.scaledDotProduct(t[0], t[1], t[2], f.mask("attn_mask"), false)), "q", "k", "v");
        Fixture.load("sdpa_causal").check(null, t -> Map.of("output", Attention.scaledDotProduct(t[0], t[1], t[2], null, true)), "q", "k", "v");
    }

    @Test
    void multiheadAttentionMatchesPyTorch() {
        Fixture cross = Fixture.load("mha_cross");
        MultiheadAttention m = new MultiheadAttention(6, 2, 0, true, true, new Random(1));
        cross.check(m, t -> outputs(m.forward(t[0], t[1], t[2], cross.mask("attn_mask"), cross.mask("key_padding_mask"))), "query", "key", "value");
        Fixture self = Fixture.load("mha_self");
        MultiheadAttention s = new MultiheadAttention(6, 3, 0, false, false, new Random(1));
        self.check(s, t -> outputs(s.forward(t[0], t[0], t[0], self.mask("attn_mask"), null)), "x");
    }

    private static Map<String, Tensor> outputs(AttentionOutput o) { return Map.of("output", o.output(), "weights", o.weights()); }

    @Test
    void encoderAndDecoderLayersMatchPyTorch() {
        for (String tag : List.of("post_relu", "pre_gelu")) {
            boolean pre = tag.startsWith("pre");
            String act = pre ? "gelu" : "relu";
            Fixture e = Fixture.load("encoder_layer_" + tag);
            TransformerEncoderLayer enc = new TransformerEncoderLayer(4, 2, 6, 0, act, 1e-5, pre, pre, new Random(1));
            e.check(enc, t -> Map.of("output", enc.forward(t[0], e.mask("src_mask"), e.mask("src_key_padding_mask"))), "src");
            Fixture d = Fixture.load("decoder_layer_" + tag);
            TransformerDecoderLayer dec = new TransformerDecoderLayer(4, 2, 6, 0, act, 1e-5, pre, pre, new Random(1));
            d.check(dec, t -> Map.of("output", dec.forward(t[0], t[1], d.mask("tgt_mask"), d.mask("memory_mask"), null,
                    d.mask("memory_key_padding_mask"))), "tgt", "memory");
        }
    }

    @Test
    void stacksMatchPyTorch() {
        Random r = new Random(1);
        Fixture e = Fixture.load("encoder");
        TransformerEncoder enc = new TransformerEncoder(() -> new TransformerEncoderLayer(4, 2, 6, 0, "relu", 1e-5, true, false, r), 2, new LayerNorm(4));
        e.check(enc, t -> Map.of("output", enc.forward(t[0], e.mask("mask"), null)), "src");
        Fixture d = Fixture.load("decoder");
        TransformerDecoder dec = new TransformerDecoder(() -> new TransformerDecoderLayer(4, 2, 6, 0, "relu", 1e-5, true, false, r), 2, new LayerNorm(4));
        d.check(dec, t -> Map.of("output", dec.forward(t[0], t[1], d.mask("tgt_mask"), null, null, null)), "tgt", "memory");
        assertEquals(d.params().keySet(), dec.stateDict().keySet());
    }

    @Test
    void sinusoidalTableMatchesPyTorchsTutorialAndIsAddedInEitherLayout() {
        Tensor pe = Fixture.load("sinusoidal").get("pe");
        SinusoidalPositionalEncoding p = new SinusoidalPositionalEncoding(6, 10, 0, true, new Random(1));
        assertArrayEquals(pe.toDoubleArray(), p.table().toDoubleArray(), 1e-12);
        Tensor x = Tensor.randn(new Random(2), 2, 4, 6);
        assertArrayEquals(x.add(pe.slice(0, 0, 4).to(DType.FLOAT32)).toFloatArray(), p.forward(x).toFloatArray(), 1e-6f);
        SinusoidalPositionalEncoding seqFirst = new SinusoidalPositionalEncoding(6, 10, 0, false, new Random(1));
        assertArrayEquals(p.forward(x).transpose(0, 1).toFloatArray(), seqFirst.forward(x.transpose(0, 1)).toFloatArray(), 1e-6f);
        assertTrue(p.stateDict().isEmpty());
    }

    // ---------------------------------------------------------------- gradient checks, first and second order

    /**
     * {@code f(inputs)} checked by {@link GradCheck} in both orders with respect to the inputs and every
     * parameter of {@code m}, whose values are passed as further inputs (random, so no parameter sits at its
     * initial zero or one).
     */
    private static void gradCheck(String name, Module m, long seed, java.util.function.Function<Tensor[], Tensor> f, Tensor... inputs) {
        m.to(DType.FLOAT64);
        List<Parameter> ps = m.parameters();
        Random r = new Random(seed);
        Tensor[] all = new Tensor[inputs.length + ps.size()];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        for (int i = 0; i < ps.size(); i++) all[inputs.length + i] = Tensor.randn(r, DType.FLOAT64, ps.get(i).shape()).mul(0.7);
        java.util.function.Function<Tensor[], Tensor> fn = t -> {
            Map<Parameter, Tensor> values = new IdentityHashMap<>();
            for (int i = 0; i < ps.size(); i++) values.put(ps.get(i), t[inputs.length + i]);
            return Parameter.substituted(values, () -> f.apply(java.util.Arrays.copyOf(t, inputs.length)));
        };
        GradCheck.first(name, fn, seed, all).assertPassed();
        GradCheck.second(name, fn, seed, all).assertPassed();
    }

    private static Tensor x(Random r, int... shape) { return Tensor.randn(r, DType.FLOAT64, shape); }

    /** An additive mask {@code [rows, cols]} with some {@code -inf} entries, at least one 0 per row. */
    private static Tensor mask(Random r, int rows, int cols) {
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = i % cols != 0 && r.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : r.nextDouble() - 0.5;
        return Tensor.of(m, rows, cols);
    }

    @Property(tries = 6)
    void multiheadAttentionGradients(@ForAll boolean bias, @ForAll boolean batchFirst, @ForAll boolean self, @ForAll long seed) {
        Random r = new Random(seed);
        MultiheadAttention m = new MultiheadAttention(4, 2, 0, bias, batchFirst, r);
        int b = 2, l = 3, s = self ? 3 : 2;
        Tensor q = x(r, batchFirst ? new int[] {b, l, 4} : new int[] {l, b, 4}), kv = x(r, batchFirst ? new int[] {b, s, 4} : new int[] {s, b, 4});
        Tensor attnMask = mask(r, l, s), kpm = mask(r, b, s);
        gradCheck("MultiheadAttention", m, seed, t -> {
            AttentionOutput o = m.attend(t[0], self ? t[0] : t[1], self ? t[0] : t[1], attnMask, kpm, true);   // weights of each head
            return Tensor.cat(0, o.output().flatten(), o.weights().flatten());
        }, q, kv);
    }

    @Property(tries = 4)
    void encoderLayerGradients(@ForAll boolean normFirst, @ForAll boolean gelu, @ForAll long seed) {
        Random r = new Random(seed);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 5, 0, gelu ? "gelu" : "relu", 1e-5, true, normFirst, r);
        Tensor mask = mask(r, 3, 3), kpm = mask(r, 2, 3);
        gradCheck("TransformerEncoderLayer", layer, seed, t -> layer.forward(t[0], mask, kpm), x(r, 2, 3, 4));
    }

    @Property(tries = 4)
    void decoderLayerGradients(@ForAll boolean normFirst, @ForAll boolean gelu, @ForAll long seed) {
        Random r = new Random(seed);
        TransformerDecoderLayer layer = new TransformerDecoderLayer(4, 2, 5, 0, gelu ? "gelu" : "relu", 1e-5, false, normFirst, r);
        Tensor causal = Attention.causalMask(DType.FLOAT64, 3, 3), memoryMask = mask(r, 3, 2), kpm = mask(r, 2, 2);
        gradCheck("TransformerDecoderLayer", layer, seed, t -> layer.forward(t[0], t[1], causal, memoryMask, null, kpm), x(r, 3, 2, 4), x(r, 2, 2, 4));
    }

    @Test
    void stacksAndPositionalEncodingGradients() {
        Random r = new Random(4);
        TransformerEncoder enc = new TransformerEncoder(() -> new TransformerEncoderLayer(4, 2, 3, 0, "gelu", 1e-5, true, true, r), 2, new LayerNorm(4));
        Tensor causal = Attention.causalMask(DType.FLOAT64, 3, 3);
        gradCheck("TransformerEncoder", enc, 4, t -> enc.forward(t[0], causal, null), x(r, 2, 3, 4));
        TransformerDecoder dec = new TransformerDecoder(() -> new TransformerDecoderLayer(4, 2, 3, 0, "relu", 1e-5, true, false, r), 2, null);
        gradCheck("TransformerDecoder", dec, 5, t -> dec.forward(t[0], t[1], causal, null, null, null), x(r, 1, 3, 4), x(r, 1, 2, 4));
        LearnedPositionalEncoding pos = new LearnedPositionalEncoding(5, 4, false, r);
        gradCheck("LearnedPositionalEncoding", pos, 6, t -> pos.forward(t[0]).square(), x(r, 3, 2, 4));
        SinusoidalPositionalEncoding sin = new SinusoidalPositionalEncoding(4, 5, 0, true, r);
        GradCheck.second("SinusoidalPositionalEncoding", t -> sin.forward(t[0]).square(), 7, x(r, 2, 3, 4)).assertPassed();
    }

    // ---------------------------------------------------------------- behaviour

    @Test
    void initialisationFollowsPyTorch() {
        MultiheadAttention m = new MultiheadAttention(64, 4, 0, true, true, new Random(3));
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(m.stateDict().keySet()));
        double xavier = Math.sqrt(6.0 / (64 + 3 * 64));
        Tensor w = m.inProjWeight.value();
        assertTrue(w.abs().max().item() <= xavier && w.abs().max().item() > 0.95 * xavier);
        assertEquals(0, m.inProjBias.value().abs().max().item());
        assertEquals(0, m.outProj.bias.value().abs().max().item());
        assertTrue(m.outProj.weight.value().abs().max().item() <= 1 / Math.sqrt(64));
        assertEquals(List.of("in_proj_weight", "out_proj.weight"), List.copyOf(new MultiheadAttention(8, 2, 0, false, true, new Random(3)).stateDict().keySet()));
        TransformerDecoderLayer d = new TransformerDecoderLayer(8, 2, new Random(1));
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
                "norm3.weight", "norm3.bias"), List.copyOf(d.stateDict().keySet()));
        assertArrayEquals(new int[] {2048, 8}, d.linear1.weight.shape());
    }

    @Test
    void weightsAreAveragedOverHeadsAndAFullyPaddedQueryGivesTheOutputBias() {
        Random r = new Random(8);
        MultiheadAttention m = new MultiheadAttention(4, 2, 0, true, true, r);
        m.outProj.bias.assign(Tensor.randn(r, 4));
        Tensor x = Tensor.randn(r, 2, 3, 4);
        Tensor kpm = Tensor.zeros(2, 3).maskedFill(Tensor.of(new float[] {1, 1, 1, 0, 0, 1}, 2, 3), Double.NEGATIVE_INFINITY);
        AttentionOutput o = m.forward(x, x, x, null, kpm);
        assertArrayEquals(new int[] {2, 3, 3}, o.weights().shape());
        assertArrayEquals(new float[9], o.weights().slice(0, 0, 1).flatten().toFloatArray());                  // batch 0: every key padded
        assertArrayEquals(m.outProj.bias.value().expand(3, 4).toFloatArray(), o.output().slice(0, 0, 1).reshape(3, 4).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, o.weights().slice(0, 1, 2).sum(-1, false).flatten().toFloatArray(), 1e-6f);
        assertEquals(0, o.weights().get(1, 0, 2));
        AttentionOutput unbatched = m.forward(x.slice(0, 1, 2).squeeze(0), x.slice(0, 1, 2).squeeze(0), x.slice(0, 1, 2).squeeze(0), null, kpm.slice(0, 1, 2).squeeze(0));
        assertArrayEquals(o.output().slice(0, 1, 2).flatten().toFloatArray(), unbatched.output().flatten().toFloatArray(), 1e-6f);
        assertArrayEquals(new int[] {3, 3}, unbatched.weights().shape());
        Tensor perHead = m.forward(x, x, x, null, kpm, false).weights();
        assertArrayEquals(new int[] {2, 2, 3, 3}, perHead.shape());
        assertArrayEquals(o.weights().toFloatArray(), perHead.mean(1, false).toFloatArray(), 1e-6f);
    }

    @Test
    void dropoutActsInTrainingOnlyAndIsSeeded() {
        TransformerEncoderLayer a = new TransformerEncoderLayer(8, 2, 16, 0.5, "relu", 1e-5, true, false, new Random(1));
        TransformerEncoderLayer b = new TransformerEncoderLayer(8, 2, 16, 0.5, "relu", 1e-5, true, false, new Random(1));
        Tensor x = Tensor.randn(new Random(2), 2, 5, 8);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
        Tensor train = a.forward(x);
        a.eval();
        b.eval();
        Tensor eval = a.forward(x);
        assertArrayEquals(eval.toFloatArray(), b.forward(x).toFloatArray());
        assertTrue(train.sub(eval).abs().max().item() > 0.1);
    }

    @Test
    void layersFitInSequentialAndTheSummaryListsThem() {
        Random r = new Random(1);
        Sequential net = new Sequential(new SinusoidalPositionalEncoding(8, 16, 0, true, r), new TransformerEncoder(
                () -> new TransformerEncoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true, r), 2, new LayerNorm(8)),
                new MultiheadAttention(8, 4, 0, true, true, r), new TransformerDecoderLayer(8, 2, 16, 0, "relu", 1e-5, true, false, r), new Linear(8, 3, r));
        assertArrayEquals(new int[] {2, 5, 3}, net.forward(Tensor.randn(r, 2, 5, 8)).shape());
        String text = net.summary(5, 8);
        for (String row : List.of("0 (SinusoidalPositionalEncoding)", "1.layers.0 (TransformerEncoderLayer)", "1.layers.1 (TransformerEncoderLayer)",
                "1.norm (LayerNorm)", "2 (MultiheadAttention)", "3 (TransformerDecoderLayer)", "[-1, 5, 3]"))
            assertTrue(text.contains(row), () -> "summary lacks '" + row + "':\n" + text);
        assertTrue(text.contains(String.format("Total params: %,d", net.parameterCount())), text);
    }

    @Test
    void badInputNamesTheLayerTheArgumentAndTheShapes() {
        Random r = new Random(0);
        assertMessage(() -> new MultiheadAttention(6, 4, 0, true, true, r), "MultiheadAttention", "embedDim 6", "numHeads 4");
        MultiheadAttention m = new MultiheadAttention(4, 2, 0, true, true, r);
        Tensor x = Tensor.zeros(2, 3, 4);
        assertMessage(() -> m.forward(Tensor.zeros(1, 2, 3, 4)), "MultiheadAttention", "query", "[1, 2, 3, 4]");
        assertMessage(() -> m.forward(x, Tensor.zeros(2, 3, 5), x, null, null), "MultiheadAttention", "key [2, 3, 5]", "embedDim 4");
        assertMessage(() -> m.forward(x, Tensor.zeros(3, 3, 4), Tensor.zeros(3, 3, 4), null, null), "MultiheadAttention", "batch size", "[3, 3, 4]");
        assertMessage(() -> m.forward(x, x, x, Tensor.zeros(2, 2), null), "MultiheadAttention", "attnMask [2, 2]", "[3, 3]", "[4, 3, 3]");
        assertMessage(() -> m.forward(x, x, x, null, Tensor.zeros(3, 2)), "MultiheadAttention", "keyPaddingMask [3, 2]", "[2, 3]");
        assertMessage(() -> new TransformerEncoderLayer(6, 4, r), "TransformerEncoderLayer", "dModel 6", "nHead 4");
        assertMessage(() -> new TransformerDecoderLayer(4, 2, 8, 0, "tanh", 1e-5, true, false, r), "TransformerDecoderLayer", "activation 'tanh'");
        TransformerEncoderLayer enc = new TransformerEncoderLayer(4, 2, 8, 0, "relu", 1e-5, true, false, r);
        assertMessage(() -> enc.forward(Tensor.zeros(2, 3, 5)), "TransformerEncoderLayer", "src [2, 3, 5]");
        assertMessage(() -> enc.forward(Tensor.zeros(4)), "TransformerEncoderLayer", "src [4]");
        assertMessage(() -> enc.forward(x, Tensor.zeros(3, 4), null), "TransformerEncoderLayer", "srcMask", "attnMask [3, 4]", "[3, 3]");
        assertMessage(() -> enc.forward(x, null, Tensor.zeros(2, 4)), "TransformerEncoderLayer", "srcKeyPaddingMask", "[2, 4]");
        TransformerDecoderLayer dec = new TransformerDecoderLayer(4, 2, 8, 0, "relu", 1e-5, true, false, r);
        assertMessage(() -> dec.forward(x, Tensor.zeros(2, 5, 3), null, null, null, null), "TransformerDecoderLayer", "memory [2, 5, 3]");
        assertMessage(() -> dec.forward(x, Tensor.zeros(5, 4), null, null, null, null), "TransformerDecoderLayer", "tgt [2, 3, 4]", "memory [5, 4]");
        assertMessage(() -> dec.forward(x, Tensor.zeros(2, 5, 4), null, Tensor.zeros(3, 3), null, null), "TransformerDecoderLayer", "multihead_attn",
                "memoryMask", "attnMask [3, 3]", "[3, 5]");
        assertMessage(() -> new TransformerEncoder(() -> enc, 0, null), "TransformerEncoder", "numLayers 0");
        assertMessage(() -> new SinusoidalPositionalEncoding(4, 2, 0, true, r).forward(x), "SinusoidalPositionalEncoding", "maxLen 2", "[2, 3, 4]");
        assertMessage(() -> new LearnedPositionalEncoding(8, 5, true, r).forward(x), "LearnedPositionalEncoding", "[B, L, 5]", "[2, 3, 4]");
        assertEquals("[2, 3, 4]", Shape.str(enc.forward(x).shape()));
    }
}
