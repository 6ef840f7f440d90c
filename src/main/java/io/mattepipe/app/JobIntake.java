package io.mattepipe.app;

import io.mattepipe.image.RenderOptions;
import io.mattepipe.model.ModelCatalog;
import io.mattepipe.model.OutputOptions;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
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
        job.put("renderOptions", null);
        job.put("owner", defaultOwner);
        return job;
    }

    /**
     * {@code job} with the render options an upload named ({@link #UPLOAD_RENDER_OPTIONS}, a preset
     * expanded), checked with the job's format and background as a render checks them: its result is
     * then its cutout rendered so (a canvas, a crop). Unchanged when the upload named none.
     */
    public Map<String, Object> withRenderOptions(Map<String, Object> job, Function<String, String> query,
                                                 Map<String, Map<String, String>> presets) {
        Map<String, String> chosen = new TreeMap<>();
        String preset = query.apply("preset");
        if (preset != null && !preset.isBlank()) {
            Map<String, String> named = presets.get(preset.trim());
            if (named == null) {
                throw new IllegalArgumentException("preset '" + preset + "' is not defined; the presets are "
                        + (presets.isEmpty() ? "none" : String.join(", ", presets.keySet())));
            }
            named.forEach((option, value) -> {
                if (UPLOAD_RENDER_OPTIONS.contains(option)) {
                    chosen.put(option, value);
                }
            });
            // a preset's format and background stand unless the upload names its own
            if (named.containsKey("format") && query.apply("format") == null) {
                job.put("format", named.get("format"));
            }
            if (named.containsKey("background") && query.apply("bgcolor") == null) {
                job.put("bgcolor", bgcolor(named.get("background")));
            }
        }
        for (String option : UPLOAD_RENDER_OPTIONS) {
            if (query.apply(option) != null) {
                chosen.put(option, query.apply(option));
            }
        }
        if (chosen.isEmpty()) {
            return job;
        }
        if (Integer.valueOf(1).equals(job.get("maskOnly"))) {
            throw new IllegalArgumentException("mask_only gives the matte alone: leave out " + String.join(", ", chosen.keySet()));
        }
        String text = chosen.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        renderOptions(text, String.valueOf(job.get("format")), (String) job.get("bgcolor"));
        job.put("renderOptions", text);
        return job;
    }

    /** The options of a page or preset that an upload may name besides format and bgcolor. */
    static final List<String> UPLOAD_RENDER_OPTIONS = List.of("size", "scale", "position", "shadow", "crop", "margin", "max_size");

    /** A job's stored render options with its format and background, or null when it has none. */
    static RenderOptions renderOptions(String stored, String format, String bgcolor) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        Map<String, String> query = new HashMap<>(TaskRenditions.parameters(stored));
        query.put("format", format == null ? "png" : format);
        if (bgcolor != null && !bgcolor.isBlank()) {
            query.put("background", bgcolor);
        }
        return RenderOptions.fromQuery(query, Map.of(), List.of());
    }

    /** A render background as the job's bgcolor: transparent is none, the named colours their hex. */
    static String bgcolor(String background) {
        return switch (background.trim().toLowerCase(Locale.ROOT)) {
            case "", "transparent" -> null;
            case "white" -> "#FFFFFF";
            case "black" -> "#000000";
            default -> background.trim();
        };
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
