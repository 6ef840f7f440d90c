package io.mattepipe.image;

import io.mattepipe.model.OutputOptions;

import java.awt.Color;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How to render a finished cutout for download, chosen after the job: background (null keeps
 * transparency), format, crop to the subject with a margin, a longest side, or a canvas the
 * subject is scaled and placed on, with or without a soft contact shadow under it.
 *
 * @param marginPercent space kept around the subject when cropping, in percent of its longer side
 * @param maxSize       the longest side in pixels; 0 keeps the size (images are never enlarged)
 * @param canvas        where the subject goes; null keeps it where it is in the photo
 */
public record RenderOptions(String format, Color background, boolean crop, int marginPercent, int maxSize, Canvas canvas,
                            boolean shadow) {

    /** The options a query may name, in the order error messages list them. */
    public static final List<String> NAMES = List.of("format", "background", "crop", "margin", "max_size", "size", "scale",
            "position", "shadow");

    public RenderOptions {
        format = format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT);
        if (!format.equals("png") && !format.equals("jpg") && !format.equals("webp")) {
            throw new IllegalArgumentException("format must be png, jpg or webp, got '" + format + "'");
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
        if (canvas != null && (maxSize > 0 || marginPercent > 0)) {
            throw new IllegalArgumentException("size, scale and position place the subject on a canvas: leave out "
                    + (maxSize > 0 ? "max_size (size sets it)" : "margin (scale sets the space around the subject)"));
        }
    }

    /** Background, format, crop, margin and size: the subject where it is in the photo, no shadow. */
    public RenderOptions(String format, Color background, boolean crop, int marginPercent, int maxSize) {
        this(format, background, crop, marginPercent, maxSize, null, false);
    }

    /**
     * From a query's parameters ({@link #NAMES}), each checked: a bad value is refused with a message
     * that names its option, and so is a name that is not an option (a misspelt one would otherwise
     * be ignored without a word). {@code preset=NAME} starts from {@code presets}' NAME, whose own
     * text is a query ({@code size=2000x2000&scale=85}); the query's options override it. Values:
     * {@code background} transparent, white, black, {@code #RRGGBB} or {@code R,G,B}; {@code crop} and
     * {@code shadow} true or false (bare: true); {@code margin} percent; {@code max_size} pixels.
     *
     * @param also names the endpoint itself takes beside the options (a download's {@code tasks})
     */
    public static RenderOptions fromQuery(Map<String, String> query, Map<String, Map<String, String>> presets, List<String> also) {
        Map<String, String> options = new HashMap<>();
        String preset = query.get("preset");
        if (preset != null) {
            Map<String, String> named = presets.get(preset.trim());
            if (named == null) {
                throw new IllegalArgumentException("preset '" + preset + "' is not defined; the presets are "
                        + (presets.isEmpty() ? "none (render.preset.NAME in the configuration)" : String.join(", ", presets.keySet())));
            }
            options.putAll(named);
        }
        for (Map.Entry<String, String> entry : query.entrySet()) {
            String name = entry.getKey();
            if (!NAMES.contains(name) && !also.contains(name) && !name.equals("preset")) {
                throw new IllegalArgumentException("unknown option '" + name + "': the options are " + String.join(", ", NAMES)
                        + ", preset" + (also.isEmpty() ? "" : ", " + String.join(", ", also)));
            }
            if (NAMES.contains(name)) {
                options.put(name, entry.getValue());
            }
        }
        String format = options.get("format");
        Canvas canvas = canvas(options.get("size"), options.get("scale"), options.get("position"));
        return new RenderOptions(blank(format) ? "png" : format.trim(), colour(options.get("background")),
                flag("crop", options.get("crop")), number("margin", options.get("margin")),
                number("max_size", options.get("max_size")), canvas, flag("shadow", options.get("shadow")));
    }

    /**
     * The presets {@code names} lists (comma-separated), each NAME's text from {@code setting}
     * ({@code render.preset.NAME}), checked; an {@link IllegalArgumentException} names a missing or
     * bad one.
     */
    public static Map<String, Map<String, String>> presets(String names, Function<String, String> setting) {
        Map<String, Map<String, String>> presets = new TreeMap<>();
        for (String name : names.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            String key = "render.preset." + name.trim();
            String text = setting.apply(key);
            if (text == null) {
                throw new IllegalArgumentException("render.presets names " + name.trim() + ", but " + key + " is not set");
            }
            try {
                presets.put(name.trim(), presetOptions(name.trim(), text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + "=" + text + " is not allowed: " + e.getMessage(), e);
            }
        }
        return presets;
    }

    /** A preset's text, {@code size=2000x2000&scale=85&position=bottom}, as its options. */
    public static Map<String, String> presetOptions(String name, String text) {
        Map<String, String> options = new HashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
            if (!NAMES.contains(key)) {
                throw new IllegalArgumentException("preset " + name + ": unknown option '" + key + "' (" + String.join(", ", NAMES) + ")");
            }
            options.put(key, eq < 0 ? "" : pair.substring(eq + 1).trim());
        }
        fromQuery(options, Map.of(), List.of());
        return options;
    }

    /** Null when none of size, scale and position is given; the image's own size when only size is missing. */
    private static Canvas canvas(String size, String scale, String position) {
        if (blank(size) && blank(scale) && blank(position)) {
            return null;
        }
        int[] dimensions = blank(size) ? new int[] {0, 0, 0} : Canvas.parseSize(size);
        double[] place = blank(position) ? new double[] {50, 50, 0} : Canvas.parsePosition(position);
        return new Canvas(dimensions[0], dimensions[1], dimensions[2], blank(scale) ? 100 : number("scale", scale),
                place[0], place[1], place[2] == 1);
    }

    /** Absent is off; present bare ({@code ?shadow}) is on. */
    private static boolean flag(String name, String text) {
        if (text == null) {
            return false;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + text + "'");
        };
    }

    /** These options on another background. */
    public RenderOptions withBackground(Color colour) {
        return new RenderOptions(format, colour, crop, marginPercent, maxSize, canvas, shadow);
    }

    /** The web's media type of what this renders. */
    public String contentType() {
        return switch (format) {
            case "jpg" -> "image/jpeg";
            case "webp" -> "image/webp";
            default -> "image/png";
        };
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
