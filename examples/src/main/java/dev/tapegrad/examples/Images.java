package dev.tapegrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Pictures drawn directly (heat maps with contour bands, point overlays) and animated GIFs, with the JDK's imaging. */
public final class Images {
    private Images() {}

    /** A blue-white-red colour for {@code t} in [0, 1]. */
    public static Color diverging(double t) {
        t = Math.max(0, Math.min(1, t));
        float r = (float) (t < 0.5 ? 2 * t : 1), b = (float) (t < 0.5 ? 1 : 2 * (1 - t)), g = (float) (1 - Math.abs(2 * t - 1));
        return new Color(0.25f + 0.75f * r, 0.25f + 0.75f * Math.min(r, Math.min(b, 0.4f + g * 0.6f)), 0.25f + 0.75f * b);
    }

    /**
     * {@code f(x, y)} over {@code [x0, x1] x [y0, y1]} as a heat map with 10 contour bands ({@code f} scaled
     * from [lo, hi] to colour), {@code size} pixels square.
     */
    static BufferedImage heatMap(DoubleBinaryOperator f, double x0, double x1, double y0, double y1, double lo, double hi, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                double x = x0 + (x1 - x0) * px / (size - 1), y = y1 - (y1 - y0) * py / (size - 1);
                double t = (f.applyAsDouble(x, y) - lo) / (hi - lo);
                double band = Math.floor(Math.max(0, Math.min(0.999, t)) * 10) / 9;
                img.setRGB(px, py, diverging(band).getRGB());
            }
        }
        return img;
    }

    /** Draws points ({@code xs[i], ys[i]}) of class {@code c[i]} (0 blue ring, 1 red disc) in data coordinates. */
    static void points(BufferedImage img, double[] xs, double[] ys, int[] c, double x0, double x1, double y0, double y1) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int i = 0; i < xs.length; i++) {
            int px = (int) ((xs[i] - x0) / (x1 - x0) * (img.getWidth() - 1)), py = (int) ((y1 - ys[i]) / (y1 - y0) * (img.getHeight() - 1));
            g.setColor(c[i] == 1 ? new Color(150, 0, 0) : new Color(0, 0, 150));
            g.setStroke(new BasicStroke(2));
            if (c[i] == 1) g.fillOval(px - 5, py - 5, 10, 10); else g.drawOval(px - 5, py - 5, 10, 10);
        }
        g.dispose();
    }

    /**
     * Images {@code [k, h, w]} (each scaled to its own min..max, grey) as a grid of {@code columns} tiles,
     * each pixel drawn as a {@code zoom x zoom} square with a 1-pixel gap.
     */
    static BufferedImage grid(dev.tapegrad.autodiff.Tensor images, int columns, int zoom) { return grid(images, columns, zoom, Double.NaN, Double.NaN); }

    /** As {@link #grid(dev.tapegrad.autodiff.Tensor, int, int)} with one fixed grey scale, {@code lo} black and {@code hi} white (NaN: per tile). */
    static BufferedImage grid(dev.tapegrad.autodiff.Tensor images, int columns, int zoom, double lo, double hi) {
        int k = images.size(0), h = images.size(1), w = images.size(2), rows = (k + columns - 1) / columns;
        int tw = w * zoom + 1, th = h * zoom + 1;
        BufferedImage img = new BufferedImage(Math.min(k, columns) * tw + 1, rows * th + 1, BufferedImage.TYPE_INT_RGB);
        float[] v = images.toFloatArray();
        for (int t = 0; t < k; t++) {
            double tlo = lo, thi = hi;
            if (Double.isNaN(lo)) {
                tlo = Double.POSITIVE_INFINITY;
                thi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < h * w; i++) {
                    tlo = Math.min(tlo, v[t * h * w + i]);
                    thi = Math.max(thi, v[t * h * w + i]);
                }
            }
            int ox = (t % columns) * tw + 1, oy = (t / columns) * th + 1;
            for (int y = 0; y < h * zoom; y++)
                for (int x = 0; x < w * zoom; x++) {
                    float val = v[t * h * w + (y / zoom) * w + x / zoom];
                    int g = thi > tlo ? (int) Math.max(0, Math.min(255, 255 * (val - tlo) / (thi - tlo))) : 128;
                    img.setRGB(ox + x, oy + y, new Color(g, g, g).getRGB());
                }
        }
        return img;
    }

    /** Writes {@code text} in bold black at the image's top left. */
    public static void label(BufferedImage img, String text) { label(img, text, Color.BLACK); }

    /** Draws {@code text} in {@code color} at the top left of {@code img}. */
    public static void label(BufferedImage img, String text, Color color) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(color);
        g.drawString(text, 8, 20);
        g.dispose();
    }

    /** Creates {@code dir} and its parents if missing (every picture-writing example goes through here). */
    public static void ensureDir(Path dir) throws IOException { Files.createDirectories(dir); }

    /** Writes {@code img} as a PNG, creating the folder. */
    public static void png(BufferedImage img, Path file) throws IOException {
        ensureDir(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** Writes {@code frames} as a looping animated GIF with {@code delayMs} between frames. */
    static void gif(List<BufferedImage> frames, int delayMs, Path file) throws IOException {
        ensureDir(file.toAbsolutePath().getParent());
        ImageWriter writer = ImageIO.getImageWritersBySuffix("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage f = frames.get(i);
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(f), null);
                String format = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                IIOMetadataNode gce = new IIOMetadataNode("GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", Integer.toString(delayMs / 10));
                gce.setAttribute("transparentColorIndex", "0");
                root.appendChild(gce);
                if (i == 0) {
                    IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
                    IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                    app.setAttribute("applicationID", "NETSCAPE");
                    app.setAttribute("authenticationCode", "2.0");
                    app.setUserObject(new byte[] {1, 0, 0});
                    apps.appendChild(app);
                    root.appendChild(apps);
                }
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(f, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /**
     * Attention weights {@code w [rows x cols]} (row-major, each in [0, 1]) as a white-to-blue grid of
     * square cells of 12 to 36 pixels (each row scaled to its largest weight), the query labels down the left, the key labels along the top, and a title.
     */
    static BufferedImage attentionMap(double[] w, String[] rows, String[] cols, String title) {
        int cell = Math.max(12, Math.min(36, 480 / Math.max(1, Math.max(rows.length, cols.length)))), left = 24, top = 48;
        String heading = title + " (rows: queries, columns: keys; each row scaled to its maximum)";
        Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int headingWidth = probe.getFontMetrics(bold).stringWidth(heading);
        probe.dispose();
        BufferedImage img = new BufferedImage(Math.max(left + cols.length * cell + 8, 16 + headingWidth), top + rows.length * cell + 8,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
        for (int i = 0; i < rows.length; i++) {
            double max = 0;
            for (int j = 0; j < cols.length; j++) max = Math.max(max, w[i * cols.length + j]);
            for (int j = 0; j < cols.length; j++) {
                float v = max > 0 ? (float) (w[i * cols.length + j] / max) : 0;
                g.setColor(new Color(1 - 0.9f * v, 1 - 0.7f * v, 1 - 0.2f * v));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
            }
        }
        g.setColor(Color.BLACK);
        for (int i = 0; i < rows.length; i++) g.drawString(rows[i], 8, top + i * cell + cell / 2 + 4);
        for (int j = 0; j < cols.length; j++) g.drawString(cols[j], left + j * cell + cell / 2 - 3, top - 4);
        g.setFont(bold);
        g.drawString(heading, 8, 18);
        g.dispose();
        return img;
    }
}
