package io.mattepipe.app;

import io.mattepipe.compare.ComparisonRenderer;
import io.mattepipe.compare.GroundTruthFigures;
import io.mattepipe.compare.MaskFigures;
import io.mattepipe.compare.MaskStatistics;
import io.mattepipe.compare.MattingMetrics;
import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.intake.SafeNames;
import io.mattepipe.model.StageTimer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The comparison stage of one task: the before/after panel and the quality figures. */
public final class ComparisonStage {

    private final ImageDecoder decoder;
    private final ImageEncoder encoder;
    private final ComparisonRenderer renderer = new ComparisonRenderer();
    private final DataLayout layout;
    private final int panelWidth;
    private final StageTimer timer;
    private final PixelBudget budget;

    /** @param budget decoded pixels in flight, shared with the matting stage ({@code image.memory-budget-pixels}) */
    public ComparisonStage(ImageDecoder decoder, ImageEncoder encoder, DataLayout layout, int panelWidth, StageTimer timer,
                           PixelBudget budget) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.layout = layout;
        this.panelWidth = panelWidth;
        this.timer = timer;
        this.budget = budget;
    }

    /**
     * The figures written to the task's row; the ground-truth ones are null without ground truth.
     * {@code warnings} is comma-separated text, as stored.
     */
    public record Figures(long millis, double foregroundFraction, double uncertainFraction, int components,
                          double largestComponentShare, String warnings,
                          Double sad, Double mse, Double grad, Double conn, Double iou) {
    }

    /**
     * The original and the matte are read from the chunk and the cutout, wherever the matting ran,
     * once the original's pixels fit the budget ({@link PixelBudget#admit}).
     */
    public Figures compare(Map<String, Object> task) throws IOException, InterruptedException {
        TaskRef ref = TaskRef.of(task);
        Path chunk = layout.resolve(ref.chunk());
        return budget.admit(decoder.pixelCount(chunk), () -> figures(ref, chunk));
    }

    private Figures figures(TaskRef ref, Path chunk) throws IOException {
        long start = System.nanoTime();
        AlphaMatte matte = decoder.decodeMatte(layout.cutout(ref.jobId(), ref.taskId()));
        // the photo is seen only in the panel's first tile: decoded at about the panel's width, not whole
        BufferedImage original = decoder.decode(chunk, Math.max(1, matte.width() / panelWidth));
        List<String> warnings = new ArrayList<>();
        AlphaMatte truth = groundTruth(ref, matte, warnings);
        MaskFigures mask = MaskStatistics.of(matte);
        warnings.addAll(0, mask.warnings());
        GroundTruthFigures errors = truth == null ? null : MattingMetrics.evaluate(matte, truth);
        encoder.write(renderer.render(original, matte, truth, panelWidth), "jpg", layout.panel(ref.jobId(), ref.taskId()));
        long nanos = System.nanoTime() - start;
        timer.record("comparison", nanos);
        long millis = nanos / 1_000_000;
        return new Figures(millis, mask.foregroundFraction(), mask.uncertainFraction(), mask.components(),
                mask.largestComponentShare(), warnings.isEmpty() ? null : String.join(",", warnings),
                errors == null ? null : errors.sad(), errors == null ? null : errors.mse(),
                errors == null ? null : errors.grad(), errors == null ? null : errors.conn(),
                errors == null ? null : errors.iou());
    }

    /** {@code gt/{name without extension}.alpha.png}, when the upload had one of the image's size. */
    private AlphaMatte groundTruth(TaskRef ref, AlphaMatte matte, List<String> warnings) throws IOException {
        Path file = layout.groundTruth(ref.jobId()).resolve(SafeNames.stem(ref.name()) + ".alpha.png");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        AlphaMatte truth = decoder.decodeMatte(file);
        if (truth.width() != matte.width() || truth.height() != matte.height()) {
            warnings.add("ground truth size differs (" + truth.width() + "x" + truth.height() + ")");
            return null;
        }
        return truth;
    }
}
