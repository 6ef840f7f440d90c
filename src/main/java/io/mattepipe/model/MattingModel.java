package io.mattepipe.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mattepipe.image.AlphaMatte;
import io.mattepipe.image.Resampling;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One loaded matting model, shared by every worker thread: an ONNX Runtime session is
 * thread-safe, and one copy of the weights per worker would only waste (GPU) memory.
 * Pre- and post-processing are plain Java because DJL's ONNX engine has almost no NDArray
 * operations of its own.
 */
public final class MattingModel implements AutoCloseable {

    private final ModelSpec spec;
    private final Model model;
    private final int inputSize;
    private final InferenceBatcher batcher;
    /** Held shared by every run inside the native session, exclusively by close: freeing the session under a run is a SIGSEGV. */
    private final ReadWriteLock runs = new ReentrantReadWriteLock();
    private boolean closed;

    private MattingModel(ModelSpec spec, Model model, int inputSize, Batching batching) {
        this.spec = spec;
        this.model = model;
        this.inputSize = inputSize;
        this.batcher = batching.size() > 1
                ? new InferenceBatcher(this::inferBatch, batching.size(), batching.maxWait().toNanos(), batching.concurrentRuns())
                : null;
    }

    /**
     * How single-image requests share model runs: up to {@code size} images per run, gathered for
     * at most {@code maxWait} after the first, {@code concurrentRuns} runs at once. A GPU runs a batch
     * of four in little more than the time of one; a CPU gains little, its cores are busy either way.
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
        if (!Files.isRegularFile(spec.path())) {
            throw new IOException("model file not found: " + spec.path() + " (run models/fetch-models.sh)");
        }
        Model model = Model.newInstance(spec.path().getFileName().toString(), Device.cpu(), "OnnxRuntime");
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            if (device.startsWith("cuda")) {
                options.addCUDA(device.contains(":") ? Integer.parseInt(device.substring(5)) : 0);
            } else if (!device.equals("cpu")) {
                throw new IllegalArgumentException("unknown device '" + device + "': cpu, cuda or cuda:N");
            }
            OrtSession session = batching.size() > 1
                    ? OrtEnvironment.getEnvironment().createSession(
                            DynamicBatch.rewrite(Files.readAllBytes(spec.path()), spec.inputName()), options)
                    : OrtEnvironment.getEnvironment().createSession(spec.path().toString(), options);
            model.setBlock(new SingleOutputBlock(session, (OrtNDManager) model.getNDManager(),
                    spec.inputName(), spec.outputName()));
            int inputSize = spec.inputSize() > 0 ? spec.inputSize() : declaredSize(session, spec);
            if (batching.size() > 1) {
                new MattingModel(spec, model, inputSize, Batching.NONE).tryBatch(batching.size());
            }
            return new MattingModel(spec, model, inputSize, batching);
        } catch (OrtException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load model " + spec.path() + ": " + e.getMessage(), e);
        }
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
        try {
            inferBatch(blanks);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("it cannot run batches of " + size + " (its graph fixes the batch"
                    + " size; use matting.batch-size=1 or a model exported with a dynamic batch): " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The square input the model declares, {@code [1, 3, size, size]}. */
    private static int declaredSize(OrtSession session, ModelSpec spec) throws OrtException {
        long[] shape = ((TensorInfo) session.getInputInfo().get(spec.inputName()).getInfo()).getShape();
        if (shape.length != 4 || shape[2] <= 0 || shape[2] != shape[3]) {
            throw new IllegalArgumentException("input '" + spec.inputName() + "' has shape " + Arrays.toString(shape)
                    + "; give the model's input size in its spec");
        }
        return (int) shape[2];
    }

    /** The matte of an upright {@code TYPE_INT_RGB} image, at the image's own resolution. */
    public AlphaMatte predict(BufferedImage rgb) {
        return postprocess(infer(preprocess(rgb)), rgb.getWidth(), rgb.getHeight());
    }

    /** The model input for an image: planar RGB, resized and normalised as the spec says. */
    public float[] preprocess(BufferedImage rgb) {
        int size = inputSize;
        float[] tensor = new float[3 * size * size];
        int[] pixels = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        Resampling.rgbToPlanar(pixels, rgb.getWidth(), rgb.getHeight(), size, 1f / 255f,
                spec.mean(), spec.std(), tensor, 0);
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

    /** One model run over preprocessed tensors, outputs in the same order: the model's own cost, for benchmarks. */
    public List<float[]> inferBatch(List<float[]> tensors) {
        runs.readLock().lock();
        try (Predictor<List<float[]>, List<float[]>> predictor = newPredictor()) {
            return predictor.predict(tensors);
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            runs.readLock().unlock();
        }
    }

    private Predictor<List<float[]>, List<float[]>> newPredictor() {
        if (closed) {
            throw new IllegalStateException("the model was closed");
        }
        return model.newPredictor(new TensorTranslator());
    }

    /** The model output (size × size, 0..1) as a matte of {@code width × height}. */
    public AlphaMatte postprocess(float[] output, int width, int height) {
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

    /** Waits for the runs inside the model to return, then frees it; later runs fail instead of running. */
    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        runs.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            runs.writeLock().unlock();
        }
    }

    /** A list of {@code [3, size, size]} tensors as one {@code [n, 3, size, size]} input, and back. */
    private final class TensorTranslator implements NoBatchifyTranslator<List<float[]>, List<float[]>> {
        @Override
        public NDList processInput(TranslatorContext ctx, List<float[]> tensors) {
            FloatBuffer input;
            if (tensors.size() == 1) {
                input = FloatBuffer.wrap(tensors.get(0));
            } else {
                input = FloatBuffer.allocate(tensors.size() * 3 * inputSize * inputSize);
                tensors.forEach(input::put);
                input.flip();
            }
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
