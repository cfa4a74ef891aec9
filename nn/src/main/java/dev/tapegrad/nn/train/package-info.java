/**
 * Keras-style training: {@link dev.tapegrad.nn.train.Model} ({@code Model.compile(module, optimizer, loss,
 * metrics)}, {@code fit/evaluate/predict}), its options, callbacks, metrics, progress and training checkpoints.
 * The only package of {@code nn} that uses {@code optim}; it uses modules, never the reverse.
 */
package dev.tapegrad.nn.train;
