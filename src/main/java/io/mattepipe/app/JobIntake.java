package io.mattepipe.app;

import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.OutputOptions;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Accepts a new job: checks its options, gives it an id, and takes its input into {@code raw/}. */
public final class JobIntake {

    private final DataLayout layout;
    private final String modelName;
    private final Set<String> modelSpellings;

    /**
     * @param modelName    what jobs record as the model(s) that produce their mattes
     * @param modelSetting {@code matting.model} as configured, which uploads may name too (a path, say)
     */
    public JobIntake(DataLayout layout, String modelName, String modelSetting) {
        this.layout = layout;
        this.modelName = modelName;
        this.modelSpellings = Stream.of(modelName, ModelCatalog.canonical(modelSetting)).collect(Collectors.toSet());
    }

    /**
     * The {@code jobs} row of a new job, with its options checked; bad options are an
     * {@link IllegalArgumentException}, which the API answers with 400 before anything is written.
     */
    public Map<String, Object> newJob(String source, String name, String model, String format, String bgcolor,
                                      String maskOnly, String callbackUrl) {
        if (model != null && !model.isBlank() && !modelSpellings.contains(ModelCatalog.canonical(model))) {
            throw new IllegalArgumentException("model '" + model + "' is not loaded; this service runs '" + modelName + "'");
        }
        boolean mask = maskOnly != null && (maskOnly.equals("1") || maskOnly.equalsIgnoreCase("true"));
        OutputOptions options = OutputOptions.parse(format, bgcolor, mask);
        Map<String, Object> job = new HashMap<>();
        job.put("jobId", UUID.randomUUID().toString());
        job.put("source", source);
        job.put("jobName", name);
        job.put("model", modelName);
        job.put("format", options.format());
        job.put("bgcolor", bgcolor == null || bgcolor.isBlank() ? null : bgcolor.trim());
        job.put("maskOnly", mask ? 1 : 0);
        job.put("callbackUrl", checkedCallback(callbackUrl));
        return job;
    }

    /**
     * Moves a dropped archive, image or folder into the job's {@code raw/}: a rename on the same
     * file system, so a 100 GB archive is not copied. For a folder the marker file {@code READY}
     * is what the inbox saw; the folder around it is the input.
     */
    public void adoptInboxInput(String droppedPath, String jobId) throws IOException {
        Path dropped = Path.of(droppedPath);
        boolean folder = dropped.getFileName().toString().equals("READY");
        Path input = folder ? dropped.getParent() : dropped;
        Path raw = layout.raw(jobId);
        Files.createDirectories(raw);
        Path taken = Files.move(input, raw.resolve(input.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        if (folder) {
            Files.delete(taken.resolve("READY"));
        }
    }

    /** Jobs of a folder given on the command line ("batch", "folder") read it where it is. */
    public static boolean readsInPlace(Object source) {
        return "batch".equals(source) || "folder".equals(source);
    }

    /** Jobs that did not come over HTTP ("inbox", "folder") leave their results zip in the outbox. */
    public static boolean deliversToOutbox(Object source) {
        return "inbox".equals(source) || "folder".equals(source);
    }

    private static String checkedCallback(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri.toString();
            }
        } catch (IllegalArgumentException e) {
            // reported below with what is accepted
        }
        throw new IllegalArgumentException("callback_url must be an http(s) URL, got '" + url + "'");
    }
}
