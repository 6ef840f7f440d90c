package io.mattepipe.model;

import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.Cutout;
import io.mattepipe.image.ImageDecodeException;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole per-image job, top to bottom: decode upright → predict the matte → composite →
 * encode atomically. The command line and the pipeline's matting stage both call this.
 */
public final class BackgroundRemover {

    private final ImageDecoder decoder;
    private final ModelEnsemble models;
    private final ImageEncoder encoder;
    private final StageTimer timer;

    public BackgroundRemover(ImageDecoder decoder, ModelEnsemble models, ImageEncoder encoder, StageTimer timer) {
        this.decoder = decoder;
        this.models = models;
        this.encoder = encoder;
        this.timer = timer;
    }

    /**
     * What one image gave: the upright original and its matte, for the stages that follow, and the
     * matte of each model of the ensemble (the matte itself for one model).
     */
    public record Result(BufferedImage original, AlphaMatte matte, List<AlphaMatte> members) {
    }

    /** Decodes the image upright and predicts its matte (the ensemble's, for several models). */
    public Result matte(Path input) throws ImageDecodeException {
        BufferedImage rgb = timer.time("decode", () -> decoder.decode(input));
        ModelEnsemble.Prediction prediction = models.predictEach(rgb, timer);
        return new Result(rgb, prediction.matte(), prediction.members());
    }

    /**
     * Writes what {@code options} ask for: the RGBA cutout, the matte alone, or the subject on a
     * colour. The RGBA cutout is made in the original's pixels ({@link Cutout#withAlpha}): write it
     * last of a result's outputs.
     */
    public void write(Result result, OutputOptions options, Path output) throws IOException {
        BufferedImage image = image(result.original(), result.matte(), options);
        long start = System.nanoTime();
        encoder.write(image, options.format(), output);
        timer.record("encode", System.nanoTime() - start);
    }

    /**
     * What {@code options} ask for, from an upright original and its matte: the RGBA cutout (made in
     * the original's pixels), the matte alone, or the subject on a colour.
     */
    public static BufferedImage image(BufferedImage original, AlphaMatte matte, OutputOptions options) {
        if (options.maskOnly()) {
            return Cutout.maskImage(matte);
        } else if (options.background() != null) {
            return Cutout.onColour(original, matte, options.background());
        }
        return Cutout.withAlpha(original, matte);
    }

    public Result remove(Path input, Path output, OutputOptions options) throws IOException {
        Result result = matte(input);
        write(result, options, output);
        return result;
    }
}
