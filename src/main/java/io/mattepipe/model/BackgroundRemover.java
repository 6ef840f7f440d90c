package io.mattepipe.model;

import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.Cutout;
import io.mattepipe.image.ImageDecodeException;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole per-image job, top to bottom: decode upright → predict the matte → composite →
 * encode atomically. The command line and the pipeline's matting stage both call this.
 */
public final class BackgroundRemover {

    private final ImageDecoder decoder;
    private final MattingModel model;
    private final ImageEncoder encoder;

    public BackgroundRemover(ImageDecoder decoder, MattingModel model, ImageEncoder encoder) {
        this.decoder = decoder;
        this.model = model;
        this.encoder = encoder;
    }

    /** What one image gave: the upright original and its matte, for the stages that follow. */
    public record Result(BufferedImage original, AlphaMatte matte) {
    }

    public Result remove(Path input, Path output, OutputOptions options) throws ImageDecodeException, IOException {
        BufferedImage rgb = decoder.decode(input);
        AlphaMatte matte = model.predict(rgb);
        BufferedImage result;
        if (options.maskOnly()) {
            result = Cutout.maskImage(matte);
        } else if (options.background() != null) {
            result = Cutout.onColour(rgb, matte, options.background());
        } else {
            result = Cutout.withAlpha(rgb, matte);
        }
        encoder.write(result, options.format(), output);
        return new Result(rgb, matte);
    }
}
