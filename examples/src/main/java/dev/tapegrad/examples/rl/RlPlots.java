package dev.tapegrad.examples.rl;

import dev.tapegrad.examples.Images;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The reinforcement-learning examples' pictures: episode returns, and grid-world values with policy arrows. */
final class RlPlots {
    private RlPlots() {}

    /** Training returns per episode, raw and as a trailing moving average over {@code window} episodes, with the solving threshold. */
    static void returns(List<Double> returns, int window, double threshold, String title, Path file) throws IOException {
        Images.ensureDir(file.toAbsolutePath().getParent());
        double[] x = IntStream.rangeClosed(1, returns.size()).mapToDouble(i -> i).toArray(), raw = returns.stream().mapToDouble(Double::doubleValue).toArray();
        double[] avg = new double[raw.length];
        double sum = 0;
        for (int i = 0; i < raw.length; i++) {
            sum += raw[i] - (i >= window ? raw[i - window] : 0);
            avg[i] = sum / Math.min(i + 1, window);
        }
        XYChart c = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("training episode").yAxisTitle("return").build();
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setXAxisLabelRotation(45);             // XChart puts a label on every few of equally spaced x values; slanted, they do not collide
        c.addSeries("return", x, raw).setMarker(SeriesMarkers.NONE).setLineColor(new Color(150, 170, 220));
        c.addSeries("mean of the last " + window, x, avg).setMarker(SeriesMarkers.NONE).setLineColor(new Color(20, 40, 160));
        c.addSeries(String.format("threshold %.0f", threshold), new double[] {1, Math.max(2, raw.length)}, new double[] {threshold, threshold})
                .setMarker(SeriesMarkers.NONE).setLineColor(new Color(200, 40, 40));
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The grid with each state's value as a colour (blue low, red high, scaled over the non-terminal
     * states), walls black, goals and pits lettered, and an arrow for each non-terminal state's action.
     */
    static void grid(GridWorld world, double[] values, int[] actions, String title, Path file) throws IOException {
        int cell = 64, top = 30;
        BufferedImage img = new BufferedImage(world.cols() * cell, world.rows() * cell + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < world.stateCount(); s++)
            if (!world.isTerminal(s)) {
                lo = Math.min(lo, values[s]);
                hi = Math.max(hi, values[s]);
            }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        for (int r = 0; r < world.rows(); r++)
            for (int c = 0; c < world.cols(); c++) {
                int s = world.stateAt(r, c), x = c * cell, y = top + r * cell;
                g.setColor(s < 0 ? Color.BLACK : world.isTerminal(s) ? (world.kind(s) == 'G' ? new Color(40, 160, 60) : new Color(90, 0, 90))
                        : Images.diverging(hi > lo ? (values[s] - lo) / (hi - lo) : 0.5));
                g.fillRect(x, y, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(x, y, cell, cell);
                if (s < 0) continue;
                g.setColor(world.isTerminal(s) ? Color.WHITE : Color.BLACK);
                if (world.isTerminal(s)) {
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
                    g.drawString(String.valueOf(world.kind(s)), x + cell / 2 - 8, y + cell / 2 + 9);
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                    continue;
                }
                g.drawString(String.format("%.2f", values[s]), x + 4, y + 14);
                arrow(g, x + cell / 2, y + cell / 2 + 6, actions[s], cell / 3);
            }
        g.dispose();
        Images.label(img, title);
        Images.png(img, file);
    }

    /** An arrow of length {@code len} from ({@code cx}, {@code cy}) pointing up, right, down or left. */
    private static void arrow(Graphics2D g, int cx, int cy, int action, int len) {
        int[] dx = {0, 1, 0, -1}, dy = {-1, 0, 1, 0};
        int x0 = cx - dx[action] * len / 2, y0 = cy - dy[action] * len / 2, x1 = cx + dx[action] * len / 2, y1 = cy + dy[action] * len / 2;
        g.setStroke(new BasicStroke(3));
        g.drawLine(x0, y0, x1, y1);
        int hx = -dy[action], hy = dx[action], head = len / 3;
        g.fillPolygon(new int[] {x1 + dx[action] * 4, x1 - dx[action] * head + hx * head / 2, x1 - dx[action] * head - hx * head / 2},
                new int[] {y1 + dy[action] * 4, y1 - dy[action] * head + hy * head / 2, y1 - dy[action] * head - hy * head / 2}, 3);
    }
}
