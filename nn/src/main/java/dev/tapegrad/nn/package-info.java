/**
 * Neural-network modules, layers, losses and initialisation, built entirely from the primitive operations
 * of {@code dev.tapegrad.autodiff}; no layer or loss has backward code of its own.
 */
package dev.tapegrad.nn;
