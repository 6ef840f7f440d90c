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

    private MattingModel(ModelSpec spec, Model model, int inputSize) {
        this.spec = spec;
        this.model = model;
        this.inputSize = inputSize;
    }

    /**
     * @param intraOpThreads threads ONNX Runtime uses inside one run; size it together with the
     *                       number of concurrent workers, or the two oversubscribe the cores
     * @param device         "cpu", or "cuda" / "cuda:N" with the {@code cuda} build
     */
    public static MattingModel load(ModelSpec spec, int intraOpThreads, String device) throws IOException {
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
            OrtSession session = OrtEnvironment.getEnvironment().createSession(spec.path().toString(), options);
            model.setBlock(new SingleOutputBlock(session, (OrtNDManager) model.getNDManager(),
                    spec.inputName(), spec.outputName()));
            return new MattingModel(spec, model, spec.inputSize() > 0 ? spec.inputSize() : declaredSize(session, spec));
        } catch (OrtException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load model " + spec.path() + ": " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The square input the model declares, {@code [1, 3, size, size]}. */
    private static int declaredSize(OrtSession session, ModelSpec spec) throws OrtException {
        long[] shape = ((TensorInfo) session.getInputInfo().get(spec.inputName()).getInfo()).getShape();
        if (shape.length != 4 || shape[2] <= 0 || shape[2] != shape[3]) {
            throw new IllegalArgumentException("input '" + spec.inputName() + "' has shape " + java.util.Arrays.toString(shape)
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

    /** Inference alone on an already preprocessed tensor: the model's own cost, for benchmarks. */
    public float[] infer(float[] tensor) {
        try (Predictor<float[], float[]> predictor = model.newPredictor(new TensorTranslator())) {
            return predictor.predict(tensor);
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
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

    private Shape inputShape() {
        return new Shape(1, 3, inputSize, inputSize);
    }

    @Override
    public void close() {
        model.close();
    }

    private final class TensorTranslator implements NoBatchifyTranslator<float[], float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] tensor) {
            return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(tensor), inputShape()));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.head().toFloatArray();
        }
    }
}
