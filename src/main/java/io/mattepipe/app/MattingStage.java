package io.mattepipe.app;

import io.mattepipe.compare.MaskStatistics;
import io.mattepipe.compare.MatteConfidence;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.OutputOptions;
import io.mattepipe.model.StageTimer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The matting stage of one task: chunk → matte → cutout (and the job's rendition) on disk. */
public final class MattingStage {

    private final BackgroundRemover remover;
    private final DataLayout layout;
    private final ImageDecoder decoder;
    private final PixelBudget budget;
    private final StageTimer timer;

    /** @param budget decoded pixels in flight in this stage and the comparison ({@code image.memory-budget-pixels}) */
    public MattingStage(BackgroundRemover remover, DataLayout layout, ImageDecoder decoder, PixelBudget budget,
                        StageTimer timer) {
        this.remover = remover;
        this.layout = layout;
        this.decoder = decoder;
        this.budget = budget;
        this.timer = timer;
    }

    /**
     * What the task's row records. The matte itself goes to the comparison stage through the data
     * folder (the cutout), so that stage may run on another host: messages carry ids and paths only.
     * The confidence is made here, the one place that has every model's own matte.
     *
     * @param doubts the confidence's doubts as stored (comma-separated codes), null when none
     */
    public record Outcome(long millis, int width, int height, double confidence, Double agreement, String doubts) {
    }

    /** Waits for room in the pixel budget ({@link PixelBudget#admit}), then mattes. */
    public Outcome process(Map<String, Object> task) throws IOException, InterruptedException {
        TaskRef ref = TaskRef.of(task);
        Path chunk = layout.resolve(ref.chunk());
        return budget.admit(decoder.pixelCount(chunk), () -> matte(ref, chunk));
    }

    private Outcome matte(TaskRef ref, Path chunk) throws IOException {
        long start = System.nanoTime();
        BackgroundRemover.Result result = remover.matte(chunk);
        if (ref.render() != null) {
            remover.writeRendered(result, layout.cutout(ref.jobId(), ref.taskId()), ref.render(),
                    layout.rendition(ref.jobId(), ref.taskId(), ref.options().format()));
        } else {
            if (!ref.options().isPlainCutout()) {
                remover.write(result, ref.options(),
                        layout.rendition(ref.jobId(), ref.taskId(), ref.options().format()));
            }
            // last: the cutout is made in the original's pixels
            remover.write(result, OutputOptions.CUTOUT, layout.cutout(ref.jobId(), ref.taskId()));
        }
        MatteConfidence.Confidence confidence = timer.time("confidence",
                () -> MatteConfidence.of(result.matte(), result.members(), MaskStatistics.of(result.matte())));
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(millis, result.matte().width(), result.matte().height(), confidence.score(),
                confidence.agreement(), confidence.doubtsText());
    }
}
