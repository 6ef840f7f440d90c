package io.mattepipe.app;

import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.OutputOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Accepts a new job: checks its options, gives it an id, and takes its input into {@code raw/}. */
public final class JobIntake {

    private static final String READY = "READY";

    private final DataLayout layout;
    private final String defaultOwner;
    private final String modelName;
    private final Set<String> modelSpellings;
    private final CallbackAddresses callbacks;

    /**
     * @param modelName    what jobs record as the model(s) that produce their mattes
     * @param modelSetting {@code matting.model} as configured, which uploads may name too (a path, say)
     */
    /** @param defaultOwner who a job belongs to unless a caller is known: {@code auth.inbox-owner} */
    public JobIntake(DataLayout layout, String modelName, String modelSetting, CallbackAddresses callbacks, String defaultOwner) {
        this.layout = layout;
        this.defaultOwner = defaultOwner;
        this.modelName = modelName;
        this.modelSpellings = Stream.of(modelName, ModelCatalog.canonical(modelSetting)).collect(Collectors.toUnmodifiableSet());
        this.callbacks = callbacks;
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
        job.put("callbackUrl", callbackUrl == null || callbackUrl.isBlank() ? null : callbacks.check(callbackUrl));
        job.put("owner", defaultOwner);
        return job;
    }

    /**
     * Moves a dropped archive, image or folder into the job's {@code raw/}: a rename on the same
     * file system, so a 100 GB archive is not copied. For a folder the marker file {@code READY}
     * is what the inbox saw; the folder around it is the input, less the marker (and any read-lock
     * files an earlier version left), which are no images.
     */
    public void adoptInboxInput(String droppedPath, String jobId) throws IOException {
        Path input = inboxInput(droppedPath);
        Path raw = layout.raw(jobId);
        Files.createDirectories(raw);
        dropMarkers(Files.move(input, raw.resolve(input.getFileName()), StandardCopyOption.ATOMIC_MOVE));
    }

    /**
     * At start-up, an inbox job a crash caught before it was marked received: true when its drop
     * had been moved into the job (the move is atomic), which then goes on, its markers removed if
     * the crash came before that; false when the drop is still in the inbox, which takes it again.
     */
    public boolean resumeInboxInput(String jobId) throws IOException {
        Path raw = layout.raw(jobId);
        if (!Files.isDirectory(raw)) {
            return false;
        }
        try (Stream<Path> taken = Files.list(raw)) {
            List<Path> inputs = taken.toList();
            for (Path input : inputs) {
                dropMarkers(input);
            }
            return !inputs.isEmpty();
        }
    }

    /** A taken folder's {@code READY} and Camel's lock files are markers, never tasks. */
    private static void dropMarkers(Path taken) throws IOException {
        if (!Files.isDirectory(taken)) {
            return;
        }
        Files.deleteIfExists(taken.resolve(READY));
        try (Stream<Path> locks = Files.list(taken)) {
            for (Path lock : locks.filter(p -> p.getFileName().toString().endsWith(".camelLock")).toList()) {
                Files.delete(lock);
            }
        }
    }

    /** A drop that could not be taken goes to {@code inbox/.failed/}, out of the inbox's way, under a new name. */
    public void setAsideInboxInput(String droppedPath) throws IOException {
        Path input = inboxInput(droppedPath);
        Path failed = layout.inbox().resolve(".failed");
        Files.createDirectories(failed);
        Files.move(input, failed.resolve(input.getFileName() + "-" + UUID.randomUUID()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path inboxInput(String droppedPath) {
        Path dropped = Path.of(droppedPath);
        return dropped.getFileName().toString().equals(READY) ? dropped.getParent() : dropped;
    }

    /** Jobs of a folder given on the command line ("batch", "folder") read it where it is. */
    public static boolean readsInPlace(Object source) {
        return "batch".equals(source) || "folder".equals(source);
    }

    /** Jobs that did not come over HTTP ("inbox", "folder") leave their results zip in the outbox. */
    public static boolean deliversToOutbox(Object source) {
        return "inbox".equals(source) || "folder".equals(source);
    }
}
