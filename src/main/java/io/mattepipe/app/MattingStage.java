package io.mattepipe.app;

import io.mattepipe.image.ImageDecoder;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.OutputOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The matting stage of one task: chunk → matte → cutout (and the job's rendition) on disk. */
public final class MattingStage {

    private final BackgroundRemover remover;
    private final DataLayout layout;
    private final ImageDecoder decoder;
    private final PixelBudget budget;

    /** @param budget decoded pixels in flight in this stage and the comparison ({@code image.memory-budget-pixels}) */
    public MattingStage(BackgroundRemover remover, DataLayout layout, ImageDecoder decoder, PixelBudget budget) {
        this.remover = remover;
        this.layout = layout;
        this.decoder = decoder;
        this.budget = budget;
    }

    /**
     * What the task's row records. The matte itself goes to the comparison stage through the data
     * folder (the cutout), so that stage may run on another host: messages carry ids and paths only.
     */
    public record Outcome(long millis, int width, int height) {
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
            return outcome(start, result);
        }
        if (!ref.options().isPlainCutout()) {
            remover.write(result, ref.options(),
                    layout.rendition(ref.jobId(), ref.taskId(), ref.options().format()));
        }
        // last: the cutout is made in the original's pixels
        remover.write(result, OutputOptions.CUTOUT, layout.cutout(ref.jobId(), ref.taskId()));
        return outcome(start, result);
    }

    private static Outcome outcome(long start, BackgroundRemover.Result result) {
        return new Outcome((System.nanoTime() - start) / 1_000_000, result.matte().width(), result.matte().height());
    }
}
