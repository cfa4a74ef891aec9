package dev.tapegrad.nn.train;

import dev.tapegrad.autodiff.Tensor;
import dev.tapegrad.optim.LrSchedule;
import java.util.Map;

/**
 * Sets the optimizer's learning rate to {@code schedule.lr(epoch, base)} before each epoch, where {@code base}
 * is the rate when this callback first began training: a later {@code fit} with the same callback continues
 * the schedule from that base (it does not take the scheduled rate for a new base), and a training checkpoint
 * keeps it ({@link #stateDict}).
 */
public final class LearningRateScheduler implements Callback {
    private final LrSchedule schedule;
    private double base = Double.NaN;

    public LearningRateScheduler(LrSchedule schedule) { this.schedule = java.util.Objects.requireNonNull(schedule, "LearningRateScheduler: schedule is null"); }

    @Override
    public void onTrainBegin(Model model) { if (Double.isNaN(base)) base = model.optimizer().lr(); }

    /** {@code base}, the rate the schedule scales. */
    @Override
    public Map<String, Tensor> stateDict() { return Map.of("base", Tensor.scalar(base)); }

    @Override
    public void loadStateDict(Map<String, Tensor> state) { base = Callback.stateValue("LearningRateScheduler", state, "base"); }

    @Override
    public void onEpochBegin(int epoch, Model model) { schedule.applyTo(model.optimizer(), epoch, base); }
}
