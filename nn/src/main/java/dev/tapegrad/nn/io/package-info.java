/**
 * Model files: safetensors reading and writing (atomic, checksummed, strictly validated) and
 * {@link dev.tapegrad.nn.io.Checkpoints} for a module's state dict. Knows modules, not optimizers or training.
 */
package dev.tapegrad.nn.io;
