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
     * where the matte is soft, and its matte, for the stages that follow; the photo's own RGB colour
     * profile, which the values are in and every output carries (null: sRGB).
     */
    public record Result(BufferedImage original, AlphaMatte matte, byte[] iccProfile) {
    }

    /** Decodes the image upright and predicts its matte (the ensemble's, for several models). */
    public Result matte(Path input) throws ImageDecodeException {
        ImageDecoder.Decoded decoded = timer.time("decode", () -> decoder.decodeKeepingProfile(input));
        BufferedImage rgb = decoded.rgb();
        AlphaMatte matte = models.predict(rgb, timer);
        if (foreground != null) {
            long start = System.nanoTime();
            foreground.estimate(rgb, matte);
            timer.record("foreground", System.nanoTime() - start);
        }
        return new Result(rgb, matte, decoded.iccProfile());
    }

    /**
     * Writes what {@code options} ask for: the RGBA cutout, the matte alone, or the subject on a
     * colour. The RGBA cutout is made in the original's pixels ({@link Cutout#withAlpha}): write it
     * last of a result's outputs.
     */
    public void write(Result result, OutputOptions options, Path output) throws IOException {
        BufferedImage image;
        if (options.maskOnly()) {
            image = Cutout.maskImage(result.matte());
        } else if (options.background() != null) {
            image = Cutout.onColour(result.original(), result.matte(), IccProfiles.fromSrgb(options.background(), result.iccProfile()));
        } else {
            image = Cutout.withAlpha(result.original(), result.matte());
        }
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

    public Result remove(Path input, Path output, OutputOptions options) throws IOException {
        Result result = matte(input);
        write(result, options, output);
        return result;
    }
}
