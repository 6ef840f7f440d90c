package io.mattepipe.cli;

import io.mattepipe.app.PipelineConfiguration;
import io.mattepipe.app.Settings;
import io.mattepipe.image.ForegroundEstimator;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.ModelEnsemble;
import io.mattepipe.model.OutputOptions;
import io.mattepipe.model.StageTimer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mattepipe remove IN OUT}: one image, no service, like {@code rembg i}. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove the background of one image and write the cutout (RGBA PNG by default).")
public final class RemoveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "Input image (JPEG, PNG, WebP, TIFF, BMP, GIF).")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output file: .png, .webp, or .jpg with --bgcolor.")
    Path output;

    @Option(names = "--model", paramLabel = "NAME|PATH",
            description = "isnet-fp16, isnet-quint8, u2netp, a path to an .onnx file, or several joined by + "
                    + "(their pixelwise maximum, e.g. isnet-fp16+u2netp). Default: setting matting.model.")
    String model;

    @Option(names = {"-om", "--mask-only"}, description = "Write the matte as a grey PNG instead of the cutout.")
    boolean maskOnly;

    @Option(names = "--bgcolor", paramLabel = "#RRGGBB|R,G,B", description = "Flatten the cutout on this colour.")
    String bgcolor;

    @Option(names = "--device", paramLabel = "cpu|cuda[:N]", description = "Default: setting matting.device.")
    String device;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input)) {
            throw new UsageException("no such file: " + input.toAbsolutePath());
        }
        OutputOptions options = outputOptions();
        Settings settings = Settings.load();
        ModelCatalog catalog = new ModelCatalog(Path.of(settings.get("matting.models-dir")));
        long start = System.nanoTime();
        try (ModelEnsemble matting = ModelEnsemble.load(
                catalog.resolve(model != null ? model : settings.get("matting.model"),
                        PipelineConfiguration.normalize(settings.get("matting.normalize"))),
                MattingModel.intraOpThreads(settings.getInt("matting.threads"), 1), device != null ? device : settings.get("matting.device"),
                MattingModel.Batching.NONE, Boolean.parseBoolean(settings.get("matting.spinning")),
                PipelineConfiguration.cascade(settings.get("matting.cascade-threshold")))) {
            long loaded = System.nanoTime();
            BackgroundRemover remover = new BackgroundRemover(new ImageDecoder(settings.getLong("image.max-pixels")), matting,
                    new ImageEncoder(settings.getInt("output.png-compression"), Float.parseFloat(settings.get("output.jpeg-quality")),
                            Boolean.parseBoolean(settings.get("output.webp-lossless")), Float.parseFloat(settings.get("output.webp-quality"))),
                    StageTimer.NONE,
                    Boolean.parseBoolean(settings.get("output.foreground-estimation")) ? ForegroundEstimator.standard() : null);
            BackgroundRemover.Result result = remover.remove(input, output, options);
            long done = System.nanoTime();
            System.err.printf(Locale.ROOT, "%s: %dx%d -> %s with %s in %.2f s (model load %.2f s)%n", input.getFileName(),
                    result.matte().width(), result.matte().height(), output, matting.name(), (done - loaded) / 1e9, (loaded - start) / 1e9);
        }
        return 0;
    }

    /** What OUT's extension and the options ask for, checked before the model is loaded. */
    private OutputOptions outputOptions() {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg"
                : name.endsWith(".webp") ? "webp" : null;
        if (format == null) {
            throw new UsageException("cannot write " + output + ": the output must be .png, .webp, or .jpg/.jpeg with --bgcolor");
        }
        try {
            return OutputOptions.parse(format, bgcolor, maskOnly);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
