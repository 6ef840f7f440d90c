package io.mattepipe.image;

import io.mattepipe.model.OutputOptions;

import java.awt.Color;
import java.util.Locale;

/**
 * How to render a finished cutout for download, chosen after the job: background (null keeps
 * transparency), format, crop to the subject with a margin, and a longest side.
 *
 * @param marginPercent space kept around the subject when cropping, in percent of its longer side
 * @param maxSize       the longest side in pixels; 0 keeps the size (images are never enlarged)
 */
public record RenderOptions(String format, Color background, boolean crop, int marginPercent, int maxSize) {

    public RenderOptions {
        format = format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT);
        if (!format.equals("png") && !format.equals("jpg")) {
            throw new IllegalArgumentException("format must be png or jpg, got '" + format + "'");
        }
        if (format.equals("jpg") && background == null) {
            throw new IllegalArgumentException("a JPEG has no transparency: choose a background (white or a colour)");
        }
        if (marginPercent < 0 || marginPercent > 100) {
            throw new IllegalArgumentException("margin must be 0..100 (percent of the subject), got " + marginPercent);
        }
        if (maxSize < 0 || maxSize > 100_000) {
            throw new IllegalArgumentException("max_size must be 0 (keep) to 100000 pixels, got " + maxSize);
        }
    }

    /**
     * From the API's query parameters, each of which may be absent: {@code background}
     * ({@code transparent}, {@code white}, {@code black}, {@code #RRGGBB}), {@code format},
     * {@code crop} ({@code true}), {@code margin} (percent), {@code max_size} (pixels).
     */
    public static RenderOptions parse(String format, String background, String crop, String margin, String maxSize) {
        return new RenderOptions(blank(format) ? "png" : format.trim(), colour(background),
                "true".equalsIgnoreCase(blank(crop) ? "" : crop.trim()), number("margin", margin),
                number("max_size", maxSize));
    }

    /** The file extension of what this renders. */
    public String extension() {
        return format;
    }

    private static Color colour(String text) {
        if (blank(text) || text.trim().equalsIgnoreCase("transparent")) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "white" -> Color.WHITE;
            case "black" -> Color.BLACK;
            default -> OutputOptions.parseColour(text);
        };
    }

    private static int number(String name, String text) {
        if (blank(text)) {
            return 0;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
