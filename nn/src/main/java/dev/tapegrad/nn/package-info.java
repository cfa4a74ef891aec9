/**
 * Neural-network modules, layers, losses and initialisation, built entirely from the primitive operations
 * of {@code dev.tapegrad.autodiff}; no layer or loss has backward code of its own.
 *
 * <p>Errors name the layer or loss and the argument: a null input ({@code "Linear.forward: x is null"}), an
 * input of the wrong rank, size or dtype, indices or labels out of range, batch norm with one value per channel
 * in training mode. A layer's constructor refuses, before it allocates anything, a negative dimension and
 * parameters holding in all more than {@code tapegrad.maxElements} elements (the core's budget, at most what a
 * Java array holds; see {@code dev.tapegrad.autodiff.kernel.Settings}): {@code new LSTM(1, 1, Integer.MAX_VALUE, ...)}
 * or {@code new Linear(65536, 65536, random)} fail at once with an {@link java.lang.IllegalArgumentException}.
 * Sizes within the budget are allocated as asked, so a layer larger than the heap still ends in an
 * {@link java.lang.OutOfMemoryError}; lower the budget ({@code -Dtapegrad.maxElements=N}) to have it refused too.
 */
package dev.tapegrad.nn;
