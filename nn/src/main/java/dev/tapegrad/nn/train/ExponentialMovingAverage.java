package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.GradientTape;
import dev.tapegrad.autodiff.Parameter;
import dev.tapegrad.autodiff.Shape;
import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.nn.Buffer;
import dev.tapegrad.nn.Module;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * An exponential moving average of a model's weights kept in a second module of the same architecture,
 * PyTorch's {@code AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)}: after
 * each optimizer step, {@link #update()} sets every parameter and floating-point buffer of the average to
 * <pre>  avg ← decay · avg + (1 − decay) · model,  computed as  avg + (1 − decay) (model − avg)</pre>
 * (PyTorch's {@code lerp_}, so the rounding is its own)
 * and copies the counters (batch norm's {@code num_batches_tracked}). The first {@code update()} copies the
 * model outright (PyTorch's {@code n_averaged == 0}), so the average starts from the trained weights, not
 * from the copy's initialisation. With {@code warmup} the decay of update {@code t} (1-based) is
 * {@code min(decay, (1 + t) / (10 + t))}, TensorFlow's {@code ExponentialMovingAverage(num_updates=t)}: early on the
 * average follows the model closely instead of keeping for thousands of steps the weights of a network that
 * has barely trained (a GAN generator's weights averaged over its first epoch make a blur). Java has no deep copy of a module: the caller builds the copy (the same
 * constructor calls) and hands it in; its parameter and buffer names and shapes must be the model's. The
 * average is what one samples or evaluates with (GANs: the generator's EMA gives cleaner samples than its
 * last iterate, Karras et al. 2018); it never trains.
 */
public final class ExponentialMovingAverage {
    private final Module model, average;
    private final double decay;
    private final boolean warmup;
    private long updates;

    /**
     * @param model   the trained module
     * @param average a module of the same architecture that will hold the average
     * @param decay   the weight of the old average, in [0, 1) (0.999 is usual for GAN generators)
     * @param warmup  whether the decay ramps up as {@code (1 + t) / (10 + t)} until it reaches {@code decay}
     */
    public ExponentialMovingAverage(Module model, Module average, double decay, boolean warmup) {
        Objects.requireNonNull(model, "ExponentialMovingAverage: model is null");
        Objects.requireNonNull(average, "ExponentialMovingAverage: average is null");
        if (model == average) throw new IllegalArgumentException("ExponentialMovingAverage: the average must be a separate module, not the model itself");
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("ExponentialMovingAverage: decay " + decay + " must be in [0, 1)");
        Map<String, Tensor> m = model.stateDict(), a = average.stateDict();
        if (!m.keySet().equals(a.keySet()))
            throw new IllegalArgumentException("ExponentialMovingAverage: the average's state " + a.keySet() + " differs from the model's " + m.keySet());
        m.forEach((k, t) -> {
            if (!Arrays.equals(t.shape(), a.get(k).shape()))
                throw new IllegalArgumentException("ExponentialMovingAverage: '" + k + "' is " + Shape.str(t.shape()) + " in the model but "
                        + Shape.str(a.get(k).shape()) + " in the average");
        });
        this.model = model;
        this.average = average;
        this.decay = decay;
        this.warmup = warmup;
        average.eval();
    }

    /** Folds the model's current weights into the average (call after each optimizer step; not while a tape records). */
    public void update() {
        if (GradientTape.isRecording())
            throw new IllegalStateException("ExponentialMovingAverage.update: called while a GradientTape records; call it after the tape closes or inside GradientTape.pause()");
        Map<String, Parameter> mp = model.namedParameters();
        Map<String, Buffer> mb = model.namedBuffers();
        double w = updates == 0 ? 1 : 1 - currentDecay();
        updates++;
        average.namedParameters().forEach((k, p) -> p.assign(blend(p.value(), mp.get(k).value(), w).to(p.dtype()).detach()));
        average.namedBuffers().forEach((k, b) -> b.set(b.integral() ? mb.get(k).value() : blend(b.value(), mb.get(k).value(), w)));
    }

    /** {@code avg + w (now - avg)}; {@code now} itself when {@code w} is 1 (the first update). */
    private static Tensor blend(Tensor avg, Tensor now, double w) {
        return w == 1 ? now.detach() : avg.add(now.detach().to(avg.dtype()).sub(avg).mul(w));
    }

    /** The decay the next {@link #update()} uses (after the first, which copies). */
    public double currentDecay() { return warmup ? Math.min(decay, (2.0 + updates) / (11.0 + updates)) : decay; }

    /** The module holding the average (in eval mode). */
    public Module average() { return average; }

    public double decay() { return decay; }

    /** How many times {@link #update()} has run. */
    public long updates() { return updates; }
}
