package io.mattepipe.model;

import java.awt.Color;
import java.util.Locale;

/**
 * What to write for each image, like rembg's options: the RGBA cutout (default), the matte alone
 * ({@code maskOnly}, rembg's {@code -om}) or the subject flattened on a colour ({@code background},
 * rembg's {@code --bgcolor}; the only way to get a JPEG, which has no alpha), as PNG, JPEG or WebP.
 */
public record OutputOptions(String format, Color background, boolean maskOnly) {

    public static final OutputOptions CUTOUT = new OutputOptions("png", null, false);

    public OutputOptions {
        format = format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT);
        if (!format.equals("png") && !format.equals("jpg") && !format.equals("webp")) {
            throw new IllegalArgumentException("format must be png, jpg or webp, got " + format);
        }
        if (format.equals("jpg") && background == null && !maskOnly) {
            throw new IllegalArgumentException("a JPEG cutout needs a background colour (bgcolor): JPEG has no alpha");
        }
    }

    /** Options from their text form; {@code bgcolor} may be null or blank. */
    public static OutputOptions parse(String format, String bgcolor, boolean maskOnly) {
        Color background = bgcolor == null || bgcolor.isBlank() ? null : parseColour(bgcolor);
        return new OutputOptions(format == null || format.isBlank() ? "png" : format, background, maskOnly);
    }

    /** {@code #RRGGBB}, {@code RRGGBB} or {@code R,G,B} (0..255). */
    public static Color parseColour(String text) {
        String s = text.trim();
        try {
            if (s.contains(",")) {
                String[] parts = s.split(",");
                if (parts.length == 3) {
                    return new Color(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                            Integer.parseInt(parts[2].trim()));
                }
            } else {
                String hex = s.startsWith("#") ? s.substring(1) : s;
                if (hex.length() == 6) {
                    return new Color(Integer.parseInt(hex, 16));
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message below, which says what is accepted
        }
        throw new IllegalArgumentException("bad colour '" + text + "': use #RRGGBB or R,G,B");
    }

    /** True for the default: an RGBA PNG cutout, nothing else. */
    public boolean isPlainCutout() {
        return !maskOnly && background == null && format.equals("png");
    }
}
