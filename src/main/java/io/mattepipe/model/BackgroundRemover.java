package io.mattepipe.model;

import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.Cutout;
import io.mattepipe.image.ForegroundEstimator;
import io.mattepipe.image.IccProfiles;
import io.mattepipe.image.ImageDecodeException;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.image.RenderOptions;
import io.mattepipe.image.Rendition;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole per-image job, top to bottom: decode upright → predict the matte → estimate the
 * subject's colour in the matte's soft band → composite → encode atomically. The command line and the pipeline's matting stage both call this.
 */
public final class BackgroundRemover {

    private final ImageDecoder decoder;
    private final ModelEnsemble models;
    private final ImageEncoder encoder;
    private final StageTimer timer;
    private final ForegroundEstimator foreground;

    /** @param foreground estimates the soft band's colours ({@code output.foreground-estimation}); null keeps the photo's */
    public BackgroundRemover(ImageDecoder decoder, ModelEnsemble models, ImageEncoder encoder, StageTimer timer,
                             ForegroundEstimator foreground) {
        this.decoder = decoder;
        this.models = models;
        this.encoder = encoder;
        this.timer = timer;
        this.foreground = foreground;
    }

    /**
     * What one image gave: the upright original, its colours replaced by the estimated foreground's
     * where the matte is soft, and its matte, for the stages that follow; the matte of each model of
     * the ensemble (the matte itself for one model); the photo's own RGB colour profile, which the
     * values are in and every output carries (null: sRGB).
     */
    public record Result(BufferedImage original, AlphaMatte matte, List<AlphaMatte> members, byte[] iccProfile) {
    }

    /** Decodes the image upright and predicts its matte (the ensemble's, for several models). */
    public Result matte(Path input) throws ImageDecodeException {
        ImageDecoder.Decoded decoded = timer.time("decode", () -> decoder.decodeKeepingProfile(input));
        BufferedImage rgb = decoded.rgb();
        ModelEnsemble.Prediction prediction = models.predictEach(rgb, timer);
        AlphaMatte matte = prediction.matte();
        if (foreground != null) {
            long start = System.nanoTime();
            foreground.estimate(rgb, matte);
            timer.record("foreground", System.nanoTime() - start);
        }
        return new Result(rgb, matte, prediction.members(), decoded.iccProfile());
    }

    /**
     * Writes what {@code options} ask for: the RGBA cutout, the matte alone, or the subject on a
     * colour. The RGBA cutout is made in the original's pixels ({@link Cutout#withAlpha}): write it
     * last of a result's outputs.
     */
    public void write(Result result, OutputOptions options, Path output) throws IOException {
        BufferedImage image = image(result.original(), result.matte(), options, result.iccProfile());
        long start = System.nanoTime();
        encoder.write(image, options.format(), output, options.maskOnly() ? null : result.iccProfile());
        timer.record("encode", System.nanoTime() - start);
    }

    /**
     * Writes the RGBA cutout, then {@code rendition} of it (a canvas, a crop) as a download's render
     * makes it, both in the photo's colour profile.
     */
    public void writeRendered(Result result, Path cutoutFile, RenderOptions rendition, Path renditionFile) throws IOException {
        long start = System.nanoTime();
        BufferedImage cutout = Cutout.withAlpha(result.original(), result.matte());
        encoder.write(cutout, "png", cutoutFile, result.iccProfile());
        encoder.write(Rendition.render(cutout, rendition, result.iccProfile()), rendition.format(), renditionFile,
                result.iccProfile());
        timer.record("encode", System.nanoTime() - start);
    }

    /**
     * As {@link #image(BufferedImage, AlphaMatte, OutputOptions)}, for an original whose values are in
     * {@code iccProfile}'s space (null: sRGB): a background colour, given in sRGB, is put into it.
     */
    public static BufferedImage image(BufferedImage original, AlphaMatte matte, OutputOptions options, byte[] iccProfile) {
        return image(original, matte, options.background() == null || iccProfile == null ? options
                : new OutputOptions(options.format(), IccProfiles.fromSrgb(options.background(), iccProfile), options.maskOnly()));
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
