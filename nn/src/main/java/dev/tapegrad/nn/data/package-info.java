/**
 * Data: datasets, the seeded {@link dev.tapegrad.nn.data.DataLoader}, IDX and CSV readers, the MNIST,
 * Fashion-MNIST, CIFAR-10, Iris and optdigits loaders with checksums, standardisation and augmentation.
 * Uses core only.
 */
package dev.tapegrad.nn.data;
