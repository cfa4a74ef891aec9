package dev.tapegrad.nn;

import dev.tapegrad.autodiff.Conv;

/** Argument checks shared by the convolution layers. */
final class ConvLayers {
    private ConvLayers() {}

    /** The kernel as (height, width) after checking channels, groups and kernel, naming the layer. */
    static int[] kernel(String layer, int in, int out, int[] kernel, int groups) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException(layer + ": in_channels " + in + " and out_channels " + out + " must be positive");
        Conv.checkGroups(layer, groups, in, out);
        return Conv.pair(layer, "kernel", kernel, 1);
    }
}
