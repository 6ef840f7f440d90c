package io.mattepipe.app;

import io.mattepipe.image.ImageDecodeException;
import io.mattepipe.image.IccProfiles;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.image.ImageEncoder;
import io.mattepipe.image.RenderOptions;
import io.mattepipe.image.Rendition;
import io.mattepipe.results.PlainWords;
import io.mattepipe.results.ResultsZip;
import io.mattepipe.state.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Images made on request from what a task already stored, never by running the model again: the
 * thumbnail of its original (cached beside the job's other files), and its cutout rendered with
 * the download options a person picked after the job (one image, or a zip of a selection).
 */
public final class TaskRenditions {

    private static final String COMPLETED = TaskState.COMPLETED.sqlName();
    private static final Logger LOG = LoggerFactory.getLogger(TaskRenditions.class);
    /** Twice a 160-pixel tile, for high-density screens. */
    static final int THUMBNAIL_SIZE = 320;
    /** A selection travels in the query string, which the HTTP server caps at 4 KB. */
    static final int MAX_SELECTION = 500;
    private static final List<String> DOWNLOAD_PARAMETERS = List.of("tasks", "partial");

    private final DataLayout layout;
    private final ImageDecoder decoder;
    private final ImageEncoder encoder;
    private final TaskQueries queries;
    private final ExecutorService zipWriters;
    private final Map<String, Map<String, String>> presets;

    /** @param presets named sets of render options ({@code render.preset.NAME}), checked at start-up */
    public TaskRenditions(DataLayout layout, ImageDecoder decoder, ImageEncoder encoder, TaskQueries queries,
                          ExecutorService zipWriters, Map<String, Map<String, String>> presets) {
        this.layout = layout;
        this.decoder = decoder;
        this.encoder = encoder;
        this.queries = queries;
        this.zipWriters = zipWriters;
        this.presets = Map.copyOf(presets);
    }

    /** The render options of a raw query string; all may be absent (a transparent PNG, uncropped, full size). */
    public RenderOptions options(String query) {
        return RenderOptions.fromQuery(parameters(query), presets, List.of());
    }

    /** A download's render options: those of {@link #options} beside {@code tasks} and {@code partial}. */
    public RenderOptions downloadOptions(String query) {
        return RenderOptions.fromQuery(parameters(query), presets, DOWNLOAD_PARAMETERS);
    }

    /** True when a download names images or options: the zip is then rendered, not the stored results. */
    public boolean wantsRendering(String query) {
        return parameters(query).entrySet().stream()
                .anyMatch(parameter -> !parameter.getKey().equals("partial") && !parameter.getValue().isBlank());
    }

    public String contentType(RenderOptions options) {
        return options.contentType();
    }

    /** A raw query string's parameters, decoded; a name given twice keeps its last value. */
    public static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            parameters.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** The thumbnail of the task's original, made once (upright, at most 320 pixels a side) and then served from disk. */
    public Path thumbnail(Map<String, Object> job, Map<String, Object> task) throws IOException {
        requireTask(job, task);
        String jobId = job.get("job_id").toString();
        String taskId = task.get("task_id").toString();
        Path thumbnail = layout.thumbnail(jobId, taskId);
        if (Files.isRegularFile(thumbnail)) {
            return thumbnail;
        }
        Object chunk = task.get("chunk");
        Path original = chunk == null ? null : layout.resolve(chunk.toString());
        if (original == null || !Files.isRegularFile(original)) {
            throw new JobViews.NotFoundException(PlainWords.image(task.get("name"), task.get("task_id")) + " has no original to preview");
        }
        BufferedImage photo;
        try {
            photo = decoder.decode(original);
        } catch (ImageDecodeException e) {
            throw new JobViews.NotFoundException("no preview of " + PlainWords.image(task.get("name"), taskId)
                    + ": " + ErrorText.ofTask(e, chunk.toString(), String.valueOf(task.get("name"))));
        }
        BufferedImage small = Rendition.render(photo, new RenderOptions("jpg", Color.WHITE, false, 0, THUMBNAIL_SIZE));
        encoder.write(small, "jpg", thumbnail);
        return thumbnail;
    }

    /** One finished task's cutout rendered with {@code options}, encoded. */
    public byte[] render(Map<String, Object> job, Map<String, Object> task, RenderOptions options) throws IOException {
        requireCompleted(job, task);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        Path cutout = layout.cutout(job.get("job_id").toString(), task.get("task_id").toString());
        byte[] profile = IccProfiles.read(cutout);
        encoder.encode(Rendition.render(readCutout(task, cutout), options, profile), options.format(), out, profile);
        return out.toByteArray();
    }

    /** {@code attachment; filename=...} for one rendered task: its output name with the chosen extension. */
    public String renderedFileName(Map<String, Object> task, RenderOptions options) {
        String output = String.valueOf(task.get("output_name"));
        return DownloadNames.attachment(output.substring(output.lastIndexOf('/') + 1) + "." + options.extension());
    }

    /**
     * A zip of rendered cutouts, written on its own thread while the response reads it: the tasks
     * listed in {@code selection} (comma-separated ids), or every completed task when it is blank;
     * never one a person rejected in review.
     * Entries are named {@code output_name.ext}; the selection is checked before the first byte.
     */
    public InputStream zip(Map<String, Object> job, String selection, RenderOptions options) throws IOException {
        String jobId = job.get("job_id").toString();
        Iterator<Map<String, Object>> tasks = selection == null || selection.isBlank()
                ? queries.tasks(jobId) : selected(job, selection).iterator();
        Iterator<ResultsZip.Item> items = new Iterator<>() {
            private Map<String, Object> next;

            @Override
            public boolean hasNext() {
                while (next == null && tasks.hasNext()) {
                    Map<String, Object> task = tasks.next();
                    if (COMPLETED.equals(task.get("state")) && !TaskReview.REJECTED.equals(task.get("review"))) {
                        next = task;
                    }
                }
                return next != null;
            }

            @Override
            public ResultsZip.Item next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Map<String, Object> task = next;
                next = null;
                return new ResultsZip.Item(task.get("output_name") + "." + options.extension(),
                        () -> new ByteArrayInputStream(render(job, task, options)));
            }
        };
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        zipWriters.execute(() -> {
            try (out) {
                ResultsZip.write(items, out);
            } catch (IOException | UncheckedIOException e) {
                LOG.info("job {}: rendered zip not finished: {}", jobId, e.getMessage());
            }
        });
        return in;
    }

    private List<Map<String, Object>> selected(Map<String, Object> job, String selection) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : selection.split(",")) {
            if (!id.isBlank()) {
                ids.add(id.trim());
            }
        }
        if (ids.size() > MAX_SELECTION) {
            throw new IllegalArgumentException("at most " + MAX_SELECTION + " images per selection, got " + ids.size()
                    + "; leave tasks out for all of them");
        }
        List<Map<String, Object>> tasks = new ArrayList<>(ids.size());
        for (String id : ids) {
            Map<String, Object> task = queries.task(job.get("job_id").toString(), id);
            requireCompleted(job, task);
            tasks.add(task);
        }
        return tasks;
    }

    /** The stored cutout; its values as stored, in the photo's profile where it has one (ImageIO's PNG reader does not convert). */
    private BufferedImage readCutout(Map<String, Object> task, Path cutout) throws IOException {
        BufferedImage image = Files.isRegularFile(cutout) ? ImageIO.read(cutout.toFile()) : null;
        if (image == null) {
            throw new JobViews.NotFoundException(PlainWords.image(task.get("name"), task.get("task_id")) + " has no stored cutout");
        }
        return image;
    }

    private static void requireTask(Map<String, Object> job, Map<String, Object> task) {
        if (task == null || task.isEmpty()) {
            throw new JobViews.NotFoundException("no such image in job " + job.get("job_id"));
        }
    }

    private static void requireCompleted(Map<String, Object> job, Map<String, Object> task) {
        requireTask(job, task);
        if (!COMPLETED.equals(task.get("state"))) {
            throw new JobViews.ConflictException(PlainWords.image(task.get("name"), task.get("task_id")) + " is not done ("
                    + PlainWords.task(String.valueOf(task.get("state")), null) + ")");
        }
    }
}
