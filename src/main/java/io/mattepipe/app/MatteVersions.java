package io.mattepipe.app;

import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.Cutout;
import io.mattepipe.image.EdgeRefinement;
import io.mattepipe.image.ForegroundEstimator;
import io.mattepipe.image.ImageDecodeException;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.image.RenderOptions;
import io.mattepipe.image.Rendition;
import io.mattepipe.model.BackgroundRemover;
import io.mattepipe.model.OutputOptions;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A task's matte after the model: a person's replacement ({@code PUT .../matte}), a refinement of
 * its edges, or the model's again ({@code DELETE .../matte}). The cutout (and the rendition the job
 * asked for) is made again from the photo and the new matte under its usual name, so the zip, the
 * renditions and the reports take it up with nothing else to change; the model's cutout is kept
 * beside it the first time, and every version's matte as a grey PNG, numbered.
 */
public final class MatteVersions {

    /** The filter's buffers cost about three times a decoded pixel's share of the budget. */
    private static final int REFINE_PIXEL_SHARES = 3;

    private final DataLayout layout;
    private final ImageDecoder decoder;
    private final ImageEncoder encoder;
    private final EdgeRefinement refinement;
    private final PixelBudget budget;
    private final ForegroundEstimator foreground;

    /** @param foreground estimates the soft band's colours as the matting stage does; null keeps the photo's */
    public MatteVersions(DataLayout layout, ImageDecoder decoder, ImageEncoder encoder, EdgeRefinement refinement,
                         PixelBudget budget, ForegroundEstimator foreground) {
        this.layout = layout;
        this.decoder = decoder;
        this.encoder = encoder;
        this.refinement = refinement;
        this.budget = budget;
        this.foreground = foreground;
    }

    /** The current matte as a grey PNG. */
    public byte[] current(Map<String, Object> job, Map<String, Object> task) throws IOException {
        AlphaMatte matte = decoder.decodeMatte(cutout(job, task));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        encoder.encode(Cutout.maskImage(matte), "png", png);
        return png.toByteArray();
    }

    /**
     * {@code png} (a grey PNG of the image's size) becomes the task's next version; anything else is
     * refused before a file is touched. Returns the new version's number.
     */
    public int replace(Map<String, Object> job, Map<String, Object> task, byte[] png) throws IOException, InterruptedException {
        AlphaMatte matte = parse(job, task, png);
        return budget.admit((long) matte.width() * matte.height(), () -> apply(job, task, matte));
    }

    /** The current matte with its border re-fitted to the photo ({@link EdgeRefinement}), as the next version. */
    public int refine(Map<String, Object> job, Map<String, Object> task) throws IOException, InterruptedException {
        Path chunk = chunk(task);
        return budget.admit(REFINE_PIXEL_SHARES * decoder.pixelCount(chunk),
                () -> apply(job, task, refinement.refine(decoder.decode(chunk), decoder.decodeMatte(cutout(job, task)))));
    }

    /** The model's matte again (version 0); a task never changed stays as it is. */
    public int revert(Map<String, Object> job, Map<String, Object> task) throws IOException, InterruptedException {
        Path model = layout.modelCutout(id(job, "job_id"), id(task, "task_id"));
        if (Files.isRegularFile(model)) {
            AlphaMatte matte = decoder.decodeMatte(model);
            budget.admit((long) matte.width() * matte.height(), () -> {
                render(job, task, matte);
                return null;
            });
        }
        return 0;
    }

    /** The answer to a change: the task's ids and the version its cutout is now made from (0: the model's). */
    public Map<String, Object> changed(Map<String, Object> task, int version) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", task.get("job_id"));
        answer.put("task_id", task.get("task_id"));
        answer.put("matte_version", version);
        return answer;
    }

    private int apply(Map<String, Object> job, Map<String, Object> task, AlphaMatte matte) throws IOException {
        String jobId = id(job, "job_id");
        String taskId = id(task, "task_id");
        Path model = layout.modelCutout(jobId, taskId);
        if (!Files.isRegularFile(model)) {
            Path temp = model.resolveSibling("." + model.getFileName() + "." + UUID.randomUUID() + ".part");
            Files.copy(cutout(job, task), temp);
            Files.move(temp, model, StandardCopyOption.ATOMIC_MOVE);
        }
        int version = (task.get("matte_version") instanceof Number n ? n.intValue() : 0) + 1;
        encoder.write(Cutout.maskImage(matte), "png", layout.matteVersion(jobId, taskId, version));
        render(job, task, matte);
        return version;
    }

    /**
     * The job's rendition (when it asked for one) and the cutout, as the matting stage makes them:
     * the soft band's colours estimated for this matte, in the photo's own colour profile. The
     * cutout is made in the photo's own pixels: last, unless the rendition is made from it.
     */
    private void render(Map<String, Object> job, Map<String, Object> task, AlphaMatte matte) throws IOException {
        ImageDecoder.Decoded decoded = decoder.decodeKeepingProfile(chunk(task));
        BufferedImage photo = decoded.rgb();
        byte[] profile = decoded.iccProfile();
        if (foreground != null) {
            foreground.estimate(photo, matte);
        }
        OutputOptions options = JobResults.options(job);
        Path rendition = layout.rendition(id(job, "job_id"), id(task, "task_id"), options.format());
        RenderOptions render = JobIntake.renderOptions(TaskRef.text(job, "render_options"), TaskRef.text(job, "format"),
                TaskRef.text(job, "bgcolor"));
        if (render != null) {
            BufferedImage cutout = BackgroundRemover.image(photo, matte, OutputOptions.CUTOUT);
            encoder.write(cutout, "png", cutout(job, task), profile);
            encoder.write(Rendition.render(cutout, render, profile), render.format(), rendition, profile);
            return;
        }
        if (!options.isPlainCutout()) {
            encoder.write(BackgroundRemover.image(photo, matte, options, profile), options.format(), rendition,
                    options.maskOnly() ? null : profile);
        }
        encoder.write(BackgroundRemover.image(photo, matte, OutputOptions.CUTOUT), "png", cutout(job, task), profile);
    }

    /** A grey PNG of the task's size, or an IllegalArgumentException (400) that says what is wrong. */
    private AlphaMatte parse(Map<String, Object> job, Map<String, Object> task, byte[] png) throws IOException {
        if (png == null || png.length < 26 || !isPng(png)) {
            throw new IllegalArgumentException("send the matte as a PNG image (Content-Type: image/png)");
        }
        int colourType = png[25];
        if (colourType != 0) {
            throw new IllegalArgumentException("the matte must be a greyscale PNG (one channel, no alpha), got PNG colour type "
                    + colourType);
        }
        Path temp = layout.cutouts(id(job, "job_id")).resolve(".upload." + UUID.randomUUID() + ".png.part");
        AlphaMatte matte;
        try {
            Files.write(temp, png);
            matte = decoder.decodeMatte(temp);
        } catch (ImageDecodeException e) {
            throw new IllegalArgumentException("the matte could not be read as an image: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
        long width = task.get("width") instanceof Number w ? w.longValue() : -1;
        long height = task.get("height") instanceof Number h ? h.longValue() : -1;
        if (matte.width() != width || matte.height() != height) {
            throw new IllegalArgumentException("the matte is " + matte.width() + "x" + matte.height() + " but the image is "
                    + width + "x" + height + ": send one of the image's size");
        }
        return matte;
    }

    private static boolean isPng(byte[] bytes) {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        for (int i = 0; i < signature.length; i++) {
            if (bytes[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private Path cutout(Map<String, Object> job, Map<String, Object> task) {
        return layout.cutout(id(job, "job_id"), id(task, "task_id"));
    }

    private Path chunk(Map<String, Object> task) {
        return layout.resolve(id(task, "chunk"));
    }

    private static String id(Map<String, Object> row, String column) {
        return row.get(column).toString();
    }
}
