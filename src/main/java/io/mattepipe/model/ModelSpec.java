package io.mattepipe.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * What a matting model expects and gives, as data: the tensors to feed and fetch by name, the
 * square input size, how pixels are scaled and normalised, and how the output becomes a matte.
 * Every model of the catalogue is one descriptor ({@code models/NAME.properties} in the jar); a
 * user's own ONNX file is described the same way by a {@code .properties} file beside it, as
 * rembg allows custom models. An undescribed file gets the defaults, which are IS-Net's.
 *
 * @param name      what reports call the model ({@code isnet-fp16}, or the file's name)
 * @param inputSize the square input side, or 0 to take it from the model's declared input shape
 * @param scaling   how 0..255 pixel values become 0..1 before {@code (v − mean) / std}
 * @param sigmoid   apply a sigmoid to the output (models that end in logits)
 * @param normalize min–max stretch the output to 0..1, as the DIS and U2-Net references do
 */
public record ModelSpec(String name, Path path, String inputName, String outputName, int inputSize,
                        Scaling scaling, float[] mean, float[] std, boolean sigmoid, boolean normalize) {

    /** The descriptor keys, each optional; see models/README.md. */
    static final Set<String> KEYS = Set.of("input", "output", "size", "scaling", "mean", "std", "sigmoid", "normalize");

    /** How a pixel's 0..255 value becomes 0..1. */
    public enum Scaling {
        /** v / 255 (IS-Net). */
        FIXED,
        /** v / the largest channel value of the resized image (U2-Net, rembg). */
        IMAGE_MAX;

        static Scaling parse(String text) {
            return switch (text.trim()) {
                case "255" -> FIXED;
                case "max" -> IMAGE_MAX;
                default -> throw new IllegalArgumentException("scaling must be 255 or max, got '" + text + "'");
            };
        }
    }

    /**
     * A model described by {@code descriptor} (empty for none: IS-Net's interface and the DIS
     * reference preprocessing, RGB/255 − 0.5, std 1, min–max; ImageNet's std would be wrong for
     * those weights, masks collapse).
     */
    public static ModelSpec describe(String name, Path path, Properties descriptor) {
        ModelSpec spec = read(name, path, descriptor);
        for (float s : spec.std()) {
            if (s == 0) {
                throw new IllegalArgumentException("model " + name + ": std must not be zero");
            }
        }
        return spec;
    }

    private static ModelSpec read(String name, Path path, Properties descriptor) {
        for (String key : descriptor.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("model " + name + ": unknown descriptor key '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        try {
            return new ModelSpec(name, path,
                    descriptor.getProperty("input", "input").trim(),
                    descriptor.getProperty("output", "output").trim(),
                    Integer.parseInt(descriptor.getProperty("size", "0").trim()),
                    Scaling.parse(descriptor.getProperty("scaling", "255")),
                    triple(descriptor.getProperty("mean", "0.5,0.5,0.5")),
                    triple(descriptor.getProperty("std", "1,1,1")),
                    flag(descriptor.getProperty("sigmoid", "false")),
                    flag(descriptor.getProperty("normalize", "true")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + name + ": " + e.getMessage(), e);
        }
    }

    /** An IS-Net-like file with no descriptor. */
    public static ModelSpec isnet(Path path) {
        return describe(path.getFileName().toString().replaceFirst("\\.onnx$", ""), path, new Properties());
    }

    public ModelSpec withNormalize(boolean normalize) {
        return new ModelSpec(name, path, inputName, outputName, inputSize, scaling, mean, std, sigmoid, normalize);
    }

    private static float[] triple(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("mean and std take three values (R,G,B), got '" + text + "'");
        }
        float[] values = new float[3];
        for (int i = 0; i < 3; i++) {
            values[i] = Float.parseFloat(parts[i].trim());
        }
        return values;
    }

    private static boolean flag(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }

    @Override
    public String toString() {
        return name + " (" + path + ", input " + inputName + ", output " + outputName + ", scaling " + scaling
                + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ", sigmoid " + sigmoid
                + ", min-max " + normalize + ")";
    }
}
