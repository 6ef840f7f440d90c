package io.mattepipe.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Turns what a user types for {@code --model} (a name under {@code models/} or a path) into a spec. */
public final class ModelCatalog {

    private final Path modelsDir;

    public ModelCatalog(Path modelsDir) {
        this.modelsDir = modelsDir;
    }

    /** {@code isnet-fp16} means {@code models/isnet-fp16.onnx}; anything else is a path to an IS-Net-like model. */
    public ModelSpec resolve(String nameOrPath, boolean normalize) {
        Path named = modelsDir.resolve(nameOrPath + ".onnx");
        Path path = Files.isRegularFile(named) || !nameOrPath.endsWith(".onnx") ? named : Path.of(nameOrPath);
        return ModelSpec.isnet(path).withNormalize(normalize);
    }
}
