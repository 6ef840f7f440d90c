package io.mattepipe.model;

import java.nio.file.Path;

/**
 * What a matting model expects and gives: the tensors to feed and fetch by name, the square input
 * size, and how pixels are normalised. IS-Net is the default; any ONNX matting model with one
 * planar RGB input and one matte output can be described here (as rembg allows custom models).
 *
 * @param inputSize the square input side, or 0 to take it from the model's declared input shape
 * @param normalize min–max stretch the output to 0..1, as the DIS reference does
 */
public record ModelSpec(Path path, String inputName, String outputName, int inputSize,
                        float[] mean, float[] std, boolean normalize) {

    /**
     * IS-Net (DIS, xuebinqin/DIS) with the reference preprocessing: RGB/255 − 0.5, std 1.0.
     * ImageNet's std would be wrong for these weights: masks collapse.
     */
    public static ModelSpec isnet(Path path) {
        return new ModelSpec(path, "input", "output", 0,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {1f, 1f, 1f}, true);
    }

    public ModelSpec withNormalize(boolean normalize) {
        return new ModelSpec(path, inputName, outputName, inputSize, mean, std, normalize);
    }
}
