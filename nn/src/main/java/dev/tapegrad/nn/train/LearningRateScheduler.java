package dev.tapegrad.nn.train;

import dev.tapegrad.optim.LrSchedule;

/** Sets the optimizer's learning rate to {@code schedule.lr(epoch, base)} before each epoch (base = the rate at the start). */
public final class LearningRateScheduler implements Callback {
    private final LrSchedule schedule;
    private double base;

    public LearningRateScheduler(LrSchedule schedule) { this.schedule = schedule; }

    @Override
    public void onTrainBegin(Model model) { base = model.optimizer().lr(); }

    @Override
    public void onEpochBegin(int epoch, Model model) { schedule.applyTo(model.optimizer(), epoch, base); }
}
