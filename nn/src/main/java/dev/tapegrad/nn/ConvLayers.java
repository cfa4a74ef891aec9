package dev.tapegrad.nn;

/** Argument checks shared by the convolution layers. */
final class ConvLayers {
    private ConvLayers() {}

    /** The kernel as (height, width) after checking channels, groups and kernel, naming the layer. */
    static int[] kernel(String layer, int in, int out, int[] kernel, int groups) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException(layer + ": in_channels " + in + " and out_channels " + out + " must be positive");
        if (groups <= 0 || in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException(layer + ": groups " + groups + " must be positive and divide in_channels " + in + " and out_channels " + out);
        if (kernel.length != 1 && kernel.length != 2)
            throw new IllegalArgumentException(layer + ": kernel " + java.util.Arrays.toString(kernel) + " must have one or two values");
        int[] k = kernel.length == 1 ? new int[] {kernel[0], kernel[0]} : kernel.clone();
        if (k[0] <= 0 || k[1] <= 0) throw new IllegalArgumentException(layer + ": kernel " + java.util.Arrays.toString(kernel) + " must be positive");
        return k;
    }
}
