/**
 * Optimizers, learning-rate schedules and gradient clipping over {@code dev.tapegrad.autodiff.Parameter}s.
 * Filled by the nn/optim issue; the module exists now so that the build layout of DESIGN.md is in place.
 */
package dev.tapegrad.optim;
