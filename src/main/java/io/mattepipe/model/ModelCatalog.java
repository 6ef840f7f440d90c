package io.mattepipe.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a model setting into the models it names. A setting is one model or several joined by
 * {@code +} ({@code isnet-fp16+u2netp}: an ensemble, see {@link ModelEnsemble}). Each part is a
 * name under {@code models/} ({@code NAME.onnx}, described by {@code NAME.properties} beside it or,
 * for the catalogue's models, in the jar) or a path to an {@code .onnx} file, described by the
 * {@code .properties} file of the same name beside it, or else taken as IS-Net-like.
 */
public final class ModelCatalog {

    private static final String DESCRIPTORS = "/models/";

    private final Path modelsDir;

    public ModelCatalog(Path modelsDir) {
        this.modelsDir = modelsDir;
    }

    /**
     * The models of {@code setting}, in its order.
     *
     * @param normalize null to min–max stretch as each model's descriptor says, or true/false for all
     */
    public List<ModelSpec> resolve(String setting, Boolean normalize) {
        List<ModelSpec> specs = new ArrayList<>();
        for (String name : parts(setting)) {
            ModelSpec spec = one(name);
            specs.add(normalize == null ? spec : spec.withNormalize(normalize));
        }
        return specs;
    }

    /**
     * The name jobs record for {@code setting} (its models' names joined by {@code +}), as
     * {@link #resolve} names them, without reading any file: from the catalogue's descriptors in
     * the jar, or a path's file name. A gateway runs no model, so its host needs no models folder;
     * its workers load the models and refuse a setting that does not work.
     *
     * @throws IllegalArgumentException for a bare name the catalogue does not have (a custom model
     *                                  is named by the path of its .onnx file, the same on every host)
     */
    public static String name(String setting) {
        List<String> names = new ArrayList<>();
        for (String part : parts(setting)) {
            if (part.endsWith(".onnx")) {
                names.add(stem(Path.of(part)));
            } else if (ModelCatalog.class.getResource(DESCRIPTORS + part + ".properties") != null) {
                names.add(part);
            } else {
                throw new IllegalArgumentException("model '" + part + "' is not one of the catalogue's (README, matting.model):"
                        + " name a model of your own by the path of its .onnx file, as its workers see it");
            }
        }
        return String.join("+", names);
    }

    /** The parts of a setting, trimmed, each once, in order. */
    private static Set<String> parts(String setting) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : setting.split("\\+", -1)) {
            String name = part.trim();
            if (name.isEmpty() || !names.add(name)) {
                throw new IllegalArgumentException("bad model setting '" + setting
                        + "': give model names joined by '+', each once (e.g. isnet-fp16+u2netp)");
            }
        }
        return names;
    }

    private static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("\\.onnx$", "");
    }

    /** The canonical form of a setting: its parts trimmed, joined by {@code +}. */
    public static String canonical(String setting) {
        return String.join("+", Stream.of(setting.split("\\+")).map(String::trim).toList());
    }

    private ModelSpec one(String nameOrPath) {
        Path named = modelsDir.resolve(nameOrPath + ".onnx");
        boolean isPath = nameOrPath.endsWith(".onnx") && !Files.isRegularFile(named);
        Path file = isPath ? Path.of(nameOrPath) : named;
        String name = isPath ? stem(file) : nameOrPath;
        Path beside = file.resolveSibling(name + ".properties");
        Properties descriptor = new Properties();
        try {
            if (Files.isRegularFile(beside)) {
                try (Reader in = Files.newBufferedReader(beside, StandardCharsets.UTF_8)) {
                    descriptor.load(in);
                }
            } else if (!isPath) {
                try (InputStream in = ModelCatalog.class.getResourceAsStream(DESCRIPTORS + name + ".properties")) {
                    if (in != null) {
                        descriptor.load(in);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the descriptor of model " + name + ": " + e.getMessage(), e);
        }
        return ModelSpec.describe(name, file, descriptor);
    }
}
