package dev.tapegrad.autodiff.kernel;

/** The four arithmetic operations of {@code ArithmeticKernelsF32}/{@code F64}. */
public enum BinaryOp { ADD, SUB, MUL, DIV }
