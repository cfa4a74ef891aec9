package dev.tapegrad.autodiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.einsum} as a composite: every operand is permuted and reshaped onto the axes of all the
 * equation's letters (size 1 where it lacks one), the operands are multiplied with broadcasting, and the
 * letters missing from the output are summed. Simple rather than fast (the product is materialised).
 */
final class Einsum {
    private Einsum() {}

    static Tensor einsum(String equation, Tensor... operands) {
        java.util.Objects.requireNonNull(equation, "einsum: equation is null");
        java.util.Objects.requireNonNull(operands, "einsum: operands is null");
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String[] inputs = (arrow < 0 ? eq : eq.substring(0, arrow)).split(",", -1);
        if (inputs.length != operands.length)
            throw new IllegalArgumentException("einsum: '" + equation + "' names " + inputs.length + " operands but " + operands.length + " are given");
        Map<Character, Integer> sizes = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = java.util.Objects.requireNonNull(operands[i], "einsum: operand " + i + " is null");
            DType.requireSame("einsum", operands[0], t);
            String s = inputs[i];
            if (s.length() != t.rank())
                throw new IllegalArgumentException("einsum: subscripts '" + s + "' of operand " + i + " do not match its shape " + Shape.str(t.shape));
            for (int d = 0; d < s.length(); d++) {
                char c = s.charAt(d);
                if (!Character.isLetter(c)) throw new IllegalArgumentException("einsum: '" + equation + "' has the subscript '" + c + "'; use letters");
                if (s.indexOf(c) != d) throw new IllegalArgumentException("einsum: subscript '" + c + "' repeats within operand " + i + " (diagonals are not supported)");
                Integer had = sizes.putIfAbsent(c, t.shape[d]);
                if (had != null && had != t.shape[d] && had != 1 && t.shape[d] != 1)
                    throw new IllegalArgumentException("einsum: subscript '" + c + "' has sizes " + had + " and " + t.shape[d]);
                if (had != null && had == 1) sizes.put(c, t.shape[d]);
            }
        }
        String out;
        if (arrow >= 0) out = eq.substring(arrow + 2);
        else {   // implicit output: the letters that occur once, in alphabetical order
            StringBuilder b = new StringBuilder();
            sizes.keySet().stream().sorted().filter(c -> eq.chars().filter(x -> x == c).count() == 1).forEach(b::append);
            out = b.toString();
        }
        for (char c : out.toCharArray())
            if (!sizes.containsKey(c) || out.indexOf(c) != out.lastIndexOf(c))
                throw new IllegalArgumentException("einsum: output subscript '" + c + "' of '" + equation + "' is unknown or repeated");
        List<Character> letters = new ArrayList<>();
        for (char c : out.toCharArray()) letters.add(c);
        for (char c : sizes.keySet()) if (!letters.contains(c)) letters.add(c);
        Tensor product = null;
        for (int i = 0; i < operands.length; i++) {
            String s = inputs[i];
            int[] byLetter = new int[s.length()];
            List<Character> present = new ArrayList<>();
            for (char c : letters) if (s.indexOf(c) >= 0) present.add(c);
            for (int d = 0; d < present.size(); d++) byLetter[d] = s.indexOf(present.get(d));
            Tensor t = operands[i].permute(byLetter);
            int[] shape = new int[letters.size()];
            for (int d = 0; d < shape.length; d++) shape[d] = s.indexOf(letters.get(d)) >= 0 ? operands[i].shape[s.indexOf(letters.get(d))] : 1;
            t = t.reshape(shape);
            product = product == null ? t : product.mul(t);
        }
        int[] summed = new int[letters.size() - out.length()];
        for (int d = 0; d < summed.length; d++) summed[d] = out.length() + d;
        Tensor r = summed.length == 0 ? product : product.sum(summed, false);
        int[] outShape = new int[out.length()];
        for (int d = 0; d < outShape.length; d++) outShape[d] = sizes.get(out.charAt(d));
        return r.expand(outShape);
    }
}
