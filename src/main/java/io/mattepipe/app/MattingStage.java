package io.mattepipe.app;

import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.OutputOptions;

import java.io.IOException;
import java.util.Map;

/** The matting stage of one task: chunk → matte → cutout (and the job's rendition) on disk. */
public final class MattingStage {

    private final BackgroundRemover remover;
    private final DataLayout layout;

    public MattingStage(BackgroundRemover remover, DataLayout layout) {
        this.remover = remover;
        this.layout = layout;
    }

    /**
     * What the task's row records. The matte itself goes to the comparison stage through the data
     * folder (the cutout), so that stage may run on another host: messages carry ids and paths only.
     */
    public record Outcome(long millis, int width, int height) {
    }

    public Outcome process(Map<String, Object> task) throws IOException {
        long start = System.nanoTime();
        TaskRef ref = TaskRef.of(task);
        BackgroundRemover.Result result = remover.matte(layout.resolve(ref.chunk()));
        remover.write(result, OutputOptions.CUTOUT, layout.cutout(ref.jobId(), ref.taskId()));
        if (!ref.options().isPlainCutout()) {
            remover.write(result, ref.options(),
                    layout.rendition(ref.jobId(), ref.taskId(), ref.options().format()));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(millis, result.matte().width(), result.matte().height());
    }
}
