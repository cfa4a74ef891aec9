/**
 * Neural-network modules, layers, losses, initialisation, data loading and the training loop, built
 * entirely from the primitive operations of {@code dev.tapegrad.autodiff}. Filled by the nn issue; the
 * module exists now so that the build layout of DESIGN.md is in place.
 */
package dev.tapegrad.nn;
