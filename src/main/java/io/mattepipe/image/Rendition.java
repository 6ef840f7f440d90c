package io.mattepipe.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A stored RGBA cutout turned into what a person downloads: cropped to the subject, flattened on
 * a background, scaled down. Works from the cutout alone (its alpha is the matte), so no model runs.
 */
public final class Rendition {

    /** Alpha below this (of 255) is the matte's faint haze, not subject: it does not widen the crop. */
    static final int SUBJECT_ALPHA = 16;

    private Rendition() {
    }

    /**
     * As {@link #render(BufferedImage, RenderOptions)}, for a cutout whose values are in
     * {@code iccProfile}'s space (null: sRGB): the background colour, given in sRGB, is put into it.
     */
    public static BufferedImage render(BufferedImage cutout, RenderOptions options, byte[] iccProfile) {
        return render(cutout, iccProfile == null ? options
                : options.withBackground(IccProfiles.fromSrgb(options.background(), iccProfile)));
    }

    /** @param cutout the stored cutout, any type; read as straight (non-premultiplied) ARGB */
    public static BufferedImage render(BufferedImage cutout, RenderOptions options) {
        BufferedImage argb = toArgb(cutout);
        if (options.canvas() != null) {
            argb = onCanvas(argb, options.canvas(), options.shadow());
        } else if (options.crop()) {
            Rectangle box = subjectBox(argb, options.marginPercent());
            argb = argb.getSubimage(box.x, box.y, box.width, box.height);
        }
        if (options.shadow() && options.canvas() == null) {
            BufferedImage shadowed = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_ARGB);
            Rectangle box = subjectBox(argb, 0);
            draw(shadowed, argb.getSubimage(box.x, box.y, box.width, box.height), box.x, box.y, true);
            argb = shadowed;
        }
        BufferedImage flat = options.background() == null ? argb : flatten(argb, options.background().getRGB());
        return scaleDown(flat, options.maxSize());
    }

    /**
     * The subject (its box, {@link #subjectBox}) scaled to fill {@code canvas.scalePercent()} of the
     * canvas and placed on it; the rest of the canvas transparent. A canvas enlarges a small
     * subject, as a shop's uniform size asks.
     */
    static BufferedImage onCanvas(BufferedImage argb, Canvas canvas, boolean shadow) {
        Rectangle box = subjectBox(argb, 0);
        double share = canvas.scalePercent() / 100.0;
        int width;
        int height;
        if (canvas.width() > 0) {
            width = canvas.width();
            height = canvas.height();
        } else if (canvas.longest() > 0) {
            // the canvas takes the subject's shape, with room for the share it fills
            double fit = canvas.longest() * share / Math.max(box.width, box.height);
            width = Math.max(1, (int) Math.round(box.width * fit / share));
            height = Math.max(1, (int) Math.round(box.height * fit / share));
        } else {
            width = argb.getWidth();
            height = argb.getHeight();
        }
        double factor = Math.min(width * share / box.width, height * share / box.height);
        int w = Math.max(1, (int) Math.round(box.width * factor));
        int h = Math.max(1, (int) Math.round(box.height * factor));
        BufferedImage subject = resize(argb.getSubimage(box.x, box.y, box.width, box.height), w, h);
        int x = (int) Math.round(canvas.centreX() / 100 * width - w / 2.0);
        int y = canvas.bottom() ? height - h : (int) Math.round(canvas.centreY() / 100 * height - h / 2.0);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        draw(out, subject, x, y, shadow);
        return out;
    }

    /**
     * {@code subject} drawn at (x, y) on {@code target}; with {@code shadow}, over a soft elliptical
     * shadow under its bottom edge, as a product standing on a surface casts.
     */
    private static void draw(BufferedImage target, BufferedImage subject, int x, int y, boolean shadow) {
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            if (shadow) {
                double w = subject.getWidth() * 0.9;
                double h = Math.max(4, subject.getHeight() * 0.08);
                Rectangle2D ellipse = new Rectangle2D.Double(x + (subject.getWidth() - w) / 2, y + subject.getHeight() - h * 0.6, w, h);
                g.setPaint(new RadialGradientPaint(ellipse, new float[] {0f, 1f},
                        new Color[] {new Color(0, 0, 0, 110), new Color(0, 0, 0, 0)}, MultipleGradientPaint.CycleMethod.NO_CYCLE));
                g.fill(new Ellipse2D.Double(ellipse.getX(), ellipse.getY(), ellipse.getWidth(), ellipse.getHeight()));
            }
            g.drawImage(subject, x, y, null);
        } finally {
            g.dispose();
        }
    }

    /** Down by {@link #scaleDown}'s halving, up in one bilinear step; premultiplied, so edges take no hidden colour. */
    private static BufferedImage resize(BufferedImage argb, int w, int h) {
        if (w <= argb.getWidth() && h <= argb.getHeight()) {
            BufferedImage smaller = scaleDown(argb, Math.max(w, h));
            if (smaller.getWidth() == w && smaller.getHeight() == h) {
                return smaller;
            }
            argb = smaller;
        }
        return copy(draw(argb, w, h, BufferedImage.TYPE_INT_ARGB_PRE), BufferedImage.TYPE_INT_ARGB);
    }

    /**
     * The bounding box of the pixels with alpha of at least {@link #SUBJECT_ALPHA}, grown by
     * {@code marginPercent} of its longer side and kept inside the image; the whole image when the
     * matte is empty.
     */
    public static Rectangle subjectBox(BufferedImage argb, int marginPercent) {
        int w = argb.getWidth();
        int h = argb.getHeight();
        int[] row = new int[w];
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < h; y++) {
            argb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                if ((row[x] >>> 24) >= SUBJECT_ALPHA) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = y;
                }
            }
        }
        if (maxX < 0) {
            return new Rectangle(0, 0, w, h);
        }
        int margin = (int) Math.round(Math.max(maxX - minX + 1, maxY - minY + 1) * marginPercent / 100.0);
        int x0 = Math.max(0, minX - margin);
        int y0 = Math.max(0, minY - margin);
        int x1 = Math.min(w - 1, maxX + margin);
        int y1 = Math.min(h - 1, maxY + margin);
        return new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static BufferedImage flatten(BufferedImage argb, int background) {
        int w = argb.getWidth();
        int h = argb.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            argb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                dst[y * w + x] = Cutout.blend(row[x], background, row[x] >>> 24);
            }
        }
        return out;
    }

    /**
     * Halves with bilinear filtering until one last step reaches the size: a single bilinear step
     * over a large factor skips most pixels and aliases. Transparent images are scaled
     * premultiplied, or the colour of invisible pixels (the old background) would bleed into edges.
     */
    static BufferedImage scaleDown(BufferedImage image, int maxSize) {
        int longest = Math.max(image.getWidth(), image.getHeight());
        if (maxSize <= 0 || longest <= maxSize) {
            return image;
        }
        boolean alpha = image.getColorModel().hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB_PRE : BufferedImage.TYPE_INT_RGB;
        double scale = (double) maxSize / longest;
        int targetW = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int targetH = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        do {
            w = Math.max(targetW, w / 2);
            h = Math.max(targetH, h / 2);
            current = draw(current, w, h, type);
        } while (w != targetW || h != targetH);
        return alpha ? copy(current, BufferedImage.TYPE_INT_ARGB) : current;
    }

    private static BufferedImage draw(BufferedImage source, int w, int h, int type) {
        BufferedImage out = new BufferedImage(w, h, type);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage toArgb(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_INT_ARGB ? image : copy(image, BufferedImage.TYPE_INT_ARGB);
    }

    private static BufferedImage copy(BufferedImage image, int type) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
