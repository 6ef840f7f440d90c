package io.mattepipe.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.Resampling;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One loaded matting model, shared by every worker thread: DJL loads it (a {@link Criteria} on
 * the OnnxRuntime engine) into one ONNX Runtime session, which is thread-safe, and each thread
 * that runs it keeps its own {@link Predictor} for its lifetime, as DJL advises. One copy of the
 * weights per worker would only waste (GPU) memory. Pre- and post-processing follow the model's
 * {@link ModelSpec} in plain Java, because DJL's ONNX engine has almost no NDArray operations of
 * its own.
 */
public final class MattingModel implements AutoCloseable {

    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};
    private static final String CLOSED = "the model was closed";
    /**
     * Every graph optimisation, the NCHWc layout included. EXTENDED_OPT (without the layout) needs
     * 0.7-1.3 GB less native memory but took 26 % longer per IS-Net inference on the quiet
     * machine, and the default's end-to-end throughput 15 % lower (BENCHMARKS.md, issue 11).
     */
    private static final OrtSession.SessionOptions.OptLevel OPTIMIZATION = OrtSession.SessionOptions.OptLevel.ALL_OPT;

    private final ModelSpec spec;
    private final ZooModel<NDList, NDList> model;
    private final OrtSession.SessionOptions sessionOptions;
    private final int inputSize;
    private final InferenceBatcher batcher;
    /** One predictor per thread that runs the model, closed with the model. */
    private final Map<Thread, Predictor<List<float[]>, List<float[]>>> predictors = new ConcurrentHashMap<>();
    /** Runs hold it shared; {@link #close()} takes it exclusively, so it waits for runs inside the session. */
    private final ReadWriteLock running = new ReentrantReadWriteLock();
    /** Runs at once: each holds a working set of activations, so fewer runs with more threads each use less memory. */
    private final Semaphore runs;
    private boolean closed;

    private MattingModel(ModelSpec spec, ZooModel<NDList, NDList> model, OrtSession.SessionOptions sessionOptions,
                         int inputSize, Batching batching) {
        this.spec = spec;
        this.model = model;
        this.sessionOptions = sessionOptions;
        this.inputSize = inputSize;
        this.runs = new Semaphore(batching.concurrentRuns());
        this.batcher = batching.size() > 1
                ? new InferenceBatcher(this::inferBatch, batching.size(), batching.maxWait().toNanos(), batching.concurrentRuns())
                : null;
    }

    /**
     * How single-image requests share model runs: up to {@code size} images per run, gathered for
     * at most {@code maxWait} after the first, at most {@code concurrentRuns} runs at once (more
     * callers wait). A GPU runs a batch of four in little more than the time of one; a CPU gains
     * little, its cores are busy either way.
     */
    public record Batching(int size, Duration maxWait, int concurrentRuns) {
        public static final Batching NONE = new Batching(1, Duration.ZERO, 1);

        public Batching {
            if (size < 1 || concurrentRuns < 1 || maxWait.isNegative()) {
                throw new IllegalArgumentException("batch size and concurrent runs must be at least 1, the wait not negative");
            }
        }
    }

    public static MattingModel load(ModelSpec spec, int intraOpThreads, String device) throws IOException {
        return load(spec, intraOpThreads, device, Batching.NONE);
    }

    /**
     * ONNX Runtime threads per run: {@code configured}, or for 0 the machine's cores shared among
     * the runs that may happen at once, so that together they use every core and no more.
     */
    public static int intraOpThreads(int configured, int concurrentRuns) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / concurrentRuns);
    }

    /**
     * @param intraOpThreads threads ONNX Runtime uses inside one run; size it together with the
     *                       number of concurrent workers, or the two oversubscribe the cores
     * @param device         "cpu", or "cuda" / "cuda:N" with the {@code cuda} build
     */
    public static MattingModel load(ModelSpec spec, int intraOpThreads, String device, Batching batching) throws IOException {
        return load(spec, intraOpThreads, device, batching, false);
    }

    /**
     * @param spinning whether ONNX Runtime's intra-op threads spin while they wait for work: off,
     *                 an idle pool sleeps; on, it burns a core between and after runs for a little
     *                 less latency per run (BENCHMARKS.md, issue 24)
     */
    public static MattingModel load(ModelSpec spec, int intraOpThreads, String device, Batching batching, boolean spinning)
            throws IOException {
        if (!Files.isRegularFile(spec.path())) {
            throw new IOException("model file not found: " + spec.path() + " (run models/fetch-models.sh)");
        }
        Device djlDevice = device(device);
        // DJL loads from a path: the edited graph (GraphEdit: one output, maybe a symbolic batch)
        // is written to a private folder for the load and deleted once the session holds it
        Path folder = Files.createTempDirectory("mattepipe-model");
        Path file = folder.resolve(spec.name() + ".onnx");
        OrtSession.SessionOptions options = sessionOptions(spinning);
        ZooModel<NDList, NDList> model = null;
        try {
            int inputSize = inputSize(GraphEdit.declared(spec.path()), spec);
            GraphEdit.rewrite(spec.path(), file, spec.inputName(), spec.outputName(), batching.size() > 1);
            Map<String, String> engineOptions = new HashMap<>(Map.of(
                    "intraOpNumThreads", String.valueOf(intraOpThreads),
                    "interOpNumThreads", "1",
                    "optLevel", OPTIMIZATION.name()));
            carry(engineOptions, options);
            model = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optEngine("OnnxRuntime")
                    .optModelPath(folder)
                    .optModelName(spec.name())
                    .optDevice(djlDevice)
                    .optOptions(engineOptions)
                    .build()
                    .loadModel();
            if (batching.size() > 1) {
                new MattingModel(spec, model, null, inputSize, Batching.NONE).tryBatch(batching.size());
            }
            NativeHeap.trim();
            return new MattingModel(spec, model, options, inputSize, batching);
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            if (model != null) {
                model.close();
            }
            options.close();
            throw new IOException("cannot load model " + spec.path() + ": " + reason(e), e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        }
    }

    /**
     * Session options DJL's string options cannot give: they can switch ONNX Runtime's memory
     * pattern on, never off, and set no config entries. The memory pattern off keeps the peak of
     * concurrent runs down (each run of IS-Net otherwise keeps a planned block of its 1024²
     * activations); the arena stays on (off, every run maps its activations afresh: twice the CPU
     * time per image); the weights go to their own allocations outside the arena, which then holds
     * activations only (BENCHMARKS.md, issue 11). ONNX Runtime's threads spin by default, which
     * costs a core per idle pool thread while the worker decodes, encodes or waits.
     */
    private static OrtSession.SessionOptions sessionOptions(boolean spinning) throws IOException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setMemoryPatternOptimization(false);
            options.setCPUArenaAllocator(true);
            options.addConfigEntry("session.use_device_allocator_for_initializers", "1");
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            return options;
        } catch (OrtException e) {
            options.close();
            throw new IOException("cannot set ONNX Runtime's session options: " + e.getMessage(), e);
        }
    }

    /**
     * DJL's {@code OrtModel} takes a ready {@code SessionOptions} object under "sessionOptions" and
     * applies the string options to it; {@link Criteria} types its options as strings only, so the
     * object rides in the same map past the compiler (DJL copies the map with {@code putAll}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void carry(Map<String, String> engineOptions, OrtSession.SessionOptions options) {
        ((Map) engineOptions).put("sessionOptions", options);
    }

    private static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().startsWith("ONNX Model cannot be loaded")) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** {@code matting.device} as a DJL device: cpu, cuda (GPU 0) or cuda:N. */
    static Device device(String device) {
        if (device.equals("cpu")) {
            return Device.cpu();
        }
        if (device.equals("cuda")) {
            return Device.gpu(0);
        }
        if (device.matches("cuda:\\d+")) {
            return Device.gpu(Integer.parseInt(device.substring(5)));
        }
        throw new IllegalArgumentException("unknown device '" + device + "': cpu, cuda or cuda:N");
    }

    /**
     * One full batch of blank images, at load time: a graph that fixes the batch inside (constant
     * resize sizes, as in the quantised IS-Net) fails here with a clear message rather than every
     * task's first run. On a GPU it also allocates the memory a full batch needs up front.
     */
    private void tryBatch(int size) {
        List<float[]> blanks = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            blanks.add(new float[3 * inputSize * inputSize]);
        }
        try (Predictor<List<float[]>, List<float[]>> predictor = model.newPredictor(new TensorTranslator())) {
            predictor.predict(blanks);
        } catch (TranslateException | RuntimeException e) {
            throw new IllegalArgumentException("it cannot run batches of " + size + " (its graph fixes the batch"
                    + " size; use matting.batch-size=1 or a model exported with a dynamic batch): " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * The square input side: the descriptor's, or the one the file declares, {@code [n, 3, size, size]};
     * a descriptor naming tensors the file does not have is refused with the names it has.
     */
    private static int inputSize(GraphEdit.Declared declared, ModelSpec spec) {
        long[] shape = declared.inputs().get(spec.inputName());
        if (shape == null || !declared.outputs().contains(spec.outputName())) {
            throw new IllegalArgumentException("model has inputs " + declared.inputs().keySet().stream().limit(8).toList()
                    + " and outputs " + declared.outputs() + ", not input '" + spec.inputName() + "' and output '"
                    + spec.outputName() + "'");
        }
        if (spec.inputSize() > 0) {
            return spec.inputSize();
        }
        if (shape.length != 4 || shape[2] <= 0 || shape[2] != shape[3]) {
            throw new IllegalArgumentException("input '" + spec.inputName() + "' has shape " + Arrays.toString(shape)
                    + "; give the model's input size in its descriptor (size=N)");
        }
        return (int) shape[2];
    }

    /** The matte of an upright {@code TYPE_INT_RGB} image, at the image's own resolution. */
    public AlphaMatte predict(BufferedImage rgb) {
        return postprocess(infer(preprocess(rgb)), rgb.getWidth(), rgb.getHeight());
    }

    /** The model input for an image: planar RGB, resized, scaled and normalised as the spec says. */
    public float[] preprocess(BufferedImage rgb) {
        int size = inputSize;
        float[] tensor = new float[3 * size * size];
        int[] pixels = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        if (spec.scaling() == ModelSpec.Scaling.FIXED) {
            Resampling.rgbToPlanar(pixels, rgb.getWidth(), rgb.getHeight(), size, 1f / 255f,
                    spec.mean(), spec.std(), tensor, 0);
        } else {
            // the divisor is the largest value of the resized image, known only after resizing
            Resampling.rgbToPlanar(pixels, rgb.getWidth(), rgb.getHeight(), size, 1f, ZERO, ONE, tensor, 0);
            float max = 1e-6f;
            for (float v : tensor) {
                max = Math.max(max, v);
            }
            int plane = size * size;
            for (int c = 0; c < 3; c++) {
                float a = 1f / (max * spec.std()[c]);
                float b = -spec.mean()[c] / spec.std()[c];
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    tensor[i] = tensor[i] * a + b;
                }
            }
        }
        return tensor;
    }

    /**
     * Inference on one preprocessed tensor; with batching, in one run together with the tensors
     * other threads are waiting on.
     */
    public float[] infer(float[] tensor) {
        if (batcher == null) {
            return inferBatch(List.of(tensor)).get(0);
        }
        try {
            return batcher.infer(tensor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    /**
     * One model run over preprocessed tensors, outputs in the same order: the model's own cost, for
     * benchmarks. Runs on the calling thread's own predictor.
     */
    public List<float[]> inferBatch(List<float[]> tensors) {
        running.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(CLOSED);
            }
            Predictor<List<float[]>, List<float[]>> predictor =
                    predictors.computeIfAbsent(Thread.currentThread(), t -> model.newPredictor(new TensorTranslator()));
            runs.acquire();
            try {
                return predictor.predict(tensors);
            } finally {
                runs.release();
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model run", e);
        } finally {
            running.readLock().unlock();
        }
    }

    /** The model output (size × size) as a matte of {@code width × height}, as the spec says: sigmoid, min–max. */
    public AlphaMatte postprocess(float[] output, int width, int height) {
        if (spec.sigmoid()) {
            for (int i = 0; i < output.length; i++) {
                output[i] = (float) (1 / (1 + Math.exp(-output[i])));
            }
        }
        if (spec.normalize()) {
            stretchToUnit(output);
        }
        return new AlphaMatte(width, height, Resampling.unitToBytes(output, 0, inputSize, width, height));
    }

    /**
     * Min–max stretch, as the DIS reference does. A flat output (no subject at all, or a constant
     * image) is left alone: stretching it would turn noise into a mask.
     */
    static void stretchToUnit(float[] values) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max - min;
        if (range < 1e-3f) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = (values[i] - min) / range;
        }
    }

    /** How many predictors the model holds: one per thread that has run it. */
    int predictorsInUse() {
        return predictors.size();
    }

    /**
     * Fails the requests still waiting for a batch, then waits for the runs already inside the
     * session to return before the predictors, the session and its options are released: closing a
     * session under a running inference crashes the JVM (native code), not the run.
     */
    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        running.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            predictors.values().forEach(Predictor::close);
            predictors.clear();
            model.close();
            if (sessionOptions != null) {
                sessionOptions.close();
            }
        } finally {
            running.writeLock().unlock();
        }
    }

    /**
     * A list of {@code [3, size, size]} tensors as one {@code [n, 3, size, size]} input, and back.
     * One per predictor, so one per thread.
     */
    private final class TensorTranslator implements NoBatchifyTranslator<List<float[]>, List<float[]>> {
        /**
         * The input's native buffer, reused by every run of this predictor. ONNX Runtime copies a
         * heap buffer into a new direct one per run (12 MB for IS-Net), and the JVM frees those
         * only when a garbage collection finds them: between collections they piled up by the
         * hundred megabytes (issue 11). A direct buffer is taken as it is.
         */
        private FloatBuffer input;

        @Override
        public NDList processInput(TranslatorContext ctx, List<float[]> tensors) {
            int length = tensors.size() * 3 * inputSize * inputSize;
            if (input == null || input.capacity() < length) {
                input = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            input.clear();
            tensors.forEach(input::put);
            input.flip();
            return new NDList(ctx.getNDManager().create(input, new Shape(tensors.size(), 3, inputSize, inputSize)));
        }

        @Override
        public List<float[]> processOutput(TranslatorContext ctx, NDList list) {
            float[] all = list.head().toFloatArray();
            int n = (int) list.head().getShape().get(0);
            if (n == 1) {
                return List.of(all);
            }
            int each = all.length / n;
            List<float[]> outputs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                outputs.add(Arrays.copyOfRange(all, i * each, (i + 1) * each));
            }
            return outputs;
        }
    }
}
