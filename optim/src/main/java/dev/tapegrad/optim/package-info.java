/**
 * Optimizers ({@link dev.tapegrad.optim.SGD}, {@link dev.tapegrad.optim.Adagrad}, {@link dev.tapegrad.optim.Adadelta},
 * {@link dev.tapegrad.optim.RMSprop}, {@link dev.tapegrad.optim.Adam}, {@link dev.tapegrad.optim.AdamW},
 * {@link dev.tapegrad.optim.Nadam}) with PyTorch's update equations, learning-rate schedules and gradient
 * clipping. Each optimizer's Javadoc states its exact equations.
 */
package dev.tapegrad.optim;
