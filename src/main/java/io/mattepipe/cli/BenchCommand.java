package io.mattepipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.app.PartialFiles;
import io.mattepipe.app.Settings;
import io.mattepipe.image.ImageDecoder;
import io.mattepipe.intake.SafeNames;
import io.mattepipe.model.MattingModel;
import io.mattepipe.model.ModelEnsemble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code mattepipe bench DIR}: in one process, alternating, the model's own throughput on
 * preprocessed tensors (the limit) and the end-to-end throughput of the pipeline on the same
 * photos, with per-stage medians and peak memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure raw inference throughput against end-to-end pipeline throughput on a folder of photos.",
                "Raw: the shared model on already-preprocessed tensors, matting.workers callers of matting.batch-size at a time (matting.runs in the model at once), after warm-up. "
                        + "End to end: the batch job (decode, matting, cutout PNG, comparison, SQLite, files), after a warm-up job."})
public final class BenchCommand implements Callable<Integer> {

    private static final Set<String> IMAGES = Set.of("jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp", "gif");

    @Parameters(index = "0", paramLabel = "DIR", arity = "0..1",
            description = "Folder of photos (not needed with --orchestration).")
    Path input;

    @Option(names = "--orchestration", paramLabel = "N",
            description = "Instead: N generated 64x64 images through the running service over HTTP "
                    + "(upload, split, matting, comparison, zip download) with the model given by --model, "
                    + "e.g. src/test/resources/models/tiny-matting-64.onnx, after a warm-up job of up to 10,000 images.")
    Integer orchestration;

    @Option(names = "--with-key",
            description = "With --orchestration: the service has an API key and the client sends it with every request"
                    + " (the cost of checking a credential, against a run without).")
    boolean withKey;

    @Option(names = "--model", paramLabel = "NAME|PATH[+...]", description = "A model or several joined by +. Default: setting matting.model.")
    String model;

    @Option(names = "--runs", paramLabel = "N", description = "Measured runs of each kind, alternating (default 3).")
    int runs = 3;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: a fresh temporary folder, deleted afterwards.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (dataDir != null) {
            return bench(dataDir);
        }
        // the generated uploads lie beside the data folder: both inside one temporary folder,
        // deleted afterwards (an orchestration run leaves ~225 MB)
        Path scratch = Files.createTempDirectory("mattepipe-bench");
        try {
            return bench(scratch.resolve("data"));
        } finally {
            PartialFiles.delete(scratch);
        }
    }

    private int bench(Path data) throws Exception {
        Map<String, String> settings = model == null ? Map.of() : Map.of("matting.model", model);
        if (orchestration != null) {
            Map<String, Object> result = OrchestrationBench.run(orchestration, data, settings, withKey);
            result.put("peak_heap_mb", peakHeapMb());
            result.put("peak_rss_mb", peakRssMb());
            result.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
            print(result);
            return 0;
        }
        if (input == null) {
            throw new IllegalArgumentException("give a folder of photos, or --orchestration N");
        }
        List<Path> photos = photos(input);
        Settings defaults = Settings.load();
        int workers = defaults.getInt("matting.workers");
        int batchSize = defaults.getInt("matting.batch-size");
        StageSamples stages = new StageSamples();
        List<Double> raw = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        int completed = 0;
        String modelName;
        try (JobRunner runner = JobRunner.start(data, false, settings, Map.of("stageTimer", stages))) {
            ModelEnsemble matting = runner.context().getRegistry().lookupByNameAndType("mattingModel", ModelEnsemble.class);
            modelName = matting.name();
            ImageDecoder decoder = new ImageDecoder(defaults.getLong("image.max-pixels"));
            progress("warm-up");
            rawImagesPerSecond(matting, tensors(matting, decoder, photos.subList(0, Math.min(2 * batchSize, photos.size()))),
                    workers, batchSize);
            runner.run(input, "batch", false);
            stages.clear();
            for (int run = 1; run <= runs; run++) {
                progress("run " + run + "/" + runs + ": raw");
                raw.add(rawImagesPerSecond(matting, tensors(matting, decoder, photos), workers, batchSize));
                progress("run " + run + "/" + runs + ": end to end");
                long start = System.nanoTime();
                Map<String, Object> job = runner.run(input, "batch", false);
                double seconds = (System.nanoTime() - start) / 1e9;
                completed = runner.queries().counts(job.get("job_id").toString()).stream()
                        .filter(c -> "completed".equals(c.get("state")))
                        .mapToInt(c -> ((Number) c.get("n")).intValue()).sum();
                e2e.add(completed / seconds);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("images", completed);
        result.put("model", modelName);
        result.put("workers", workers);
        result.put("batch_size", batchSize);
        result.put("runs_at_once", defaults.getInt("matting.runs"));
        result.put("threads", MattingModel.intraOpThreads(defaults.getInt("matting.threads"), defaults.getInt("matting.runs")));
        result.put("runs", runs);
        result.put("raw_images_per_s", round(median(raw), 3));
        result.put("e2e_images_per_s", round(median(e2e), 3));
        result.put("ratio", round(median(e2e) / median(raw), 3));
        result.put("raw_runs", raw.stream().map(v -> round(v, 3)).toList());
        result.put("e2e_runs", e2e.stream().map(v -> round(v, 3)).toList());
        result.put("stage_median_ms", stages.medianMillis());
        result.put("peak_heap_mb", peakHeapMb());
        result.put("peak_rss_mb", peakRssMb());
        print(result);
        return 0;
    }

    private void print(Map<String, Object> result) throws Exception {
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            result.forEach((key, value) -> System.out.printf(Locale.ROOT, "%-24s %s%n", key, value));
        }
    }

    /**
     * The model inputs of {@code photos}, made again before each raw run and dropped after it
     * (untimed): kept across the end-to-end runs they would add 14 MB a photo to the pipeline's
     * peak memory, which the bench reports as the pipeline's.
     */
    private static List<List<float[]>> tensors(ModelEnsemble models, ImageDecoder decoder, List<Path> photos) throws Exception {
        List<List<float[]>> tensors = new ArrayList<>();
        for (Path photo : photos) {
            BufferedImage rgb = decoder.decode(photo);
            tensors.add(models.members().stream().map(m -> m.preprocess(rgb)).toList());
        }
        return tensors;
    }

    /**
     * Every photo once, in runs of {@code batchSize}, {@code workers} runs at a time; a run passes
     * its photos through each model of the ensemble in turn, as the pipeline does.
     */
    private static double rawImagesPerSecond(ModelEnsemble models, List<List<float[]>> tensors, int workers, int batchSize)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long start = System.nanoTime();
            List<Future<?>> results = new ArrayList<>();
            for (int from = 0; from < tensors.size(); from += batchSize) {
                List<List<float[]>> batch = tensors.subList(from, Math.min(from + batchSize, tensors.size()));
                results.add(pool.submit(() -> {
                    for (int m = 0; m < models.members().size(); m++) {
                        int member = m;
                        models.members().get(m).inferBatch(batch.stream().map(t -> t.get(member)).toList());
                    }
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
            return tensors.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private static List<Path> photos(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> photos = files.filter(Files::isRegularFile)
                    .filter(p -> IMAGES.contains(SafeNames.extension(p.getFileName().toString())))
                    .filter(p -> !p.getFileName().toString().endsWith(".alpha.png"))
                    .sorted().toList();
            if (photos.isEmpty()) {
                throw new IllegalArgumentException("no images in " + dir);
            }
            return photos;
        }
    }

    private void progress(String step) {
        if (!json) {
            System.err.println("bench: " + step);
        }
    }

    static double median(List<? extends Number> values) {
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    /** VmHWM: the resident set's high-water mark, native memory (ONNX Runtime) included. */
    private static long peakRssMb() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        return -1;
    }
}
