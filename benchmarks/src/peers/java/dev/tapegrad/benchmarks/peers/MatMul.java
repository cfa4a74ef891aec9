package dev.tapegrad.benchmarks.peers;

/** One engine's {@code n x n} matrix product. */
interface MatMul extends AutoCloseable {
    Object run();

    @Override
    default void close() {}
}
