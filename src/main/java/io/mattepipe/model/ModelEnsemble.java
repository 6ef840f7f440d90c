package io.mattepipe.model;

import io.mattepipe.image.AlphaMatte;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The models a setting names, loaded once and shared by every worker; the matte of an image is
 * the pixelwise maximum of theirs, each at the image's own size. One model is an ensemble of one.
 * Why the maximum: differently trained models fail on different images, and their failures are
 * mostly missing regions; the mean keeps half of each miss (BENCHMARKS.md, issue 11).
 * With a {@link Cascade}, the members after the first run only where the first one's matte is unsure.
 */
public final class ModelEnsemble implements AutoCloseable {

    private final String name;
    private final List<MattingModel> members;
    private final Cascade cascade;

    /** @param cascade when the members after the first run; null: on every image */
    public ModelEnsemble(List<MattingModel> members, Cascade cascade) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        this.members = List.copyOf(members);
        this.cascade = cascade;
        this.name = String.join("+", members.stream().map(m -> m.spec().name()).toList());
    }

    /** Loads every model of {@code specs} with the same threads, device and batching; all or none. */
    public static ModelEnsemble load(List<ModelSpec> specs, int intraOpThreads, String device,
                                     MattingModel.Batching batching) throws IOException {
        return load(specs, intraOpThreads, device, batching, false, null);
    }

    /**
     * As {@link #load(List, int, String, MattingModel.Batching)}, with ONNX Runtime's intra-op threads
     * spinning while they wait when {@code spinning}, and the members after the first run as
     * {@code cascade} says (null: always).
     */
    public static ModelEnsemble load(List<ModelSpec> specs, int intraOpThreads, String device,
                                     MattingModel.Batching batching, boolean spinning, Cascade cascade) throws IOException {
        List<MattingModel> loaded = new ArrayList<>();
        try {
            for (ModelSpec spec : specs) {
                loaded.add(MattingModel.load(spec, intraOpThreads, device, batching, spinning));
            }
        } catch (IOException | RuntimeException e) {
            loaded.forEach(MattingModel::close);
            throw e;
        }
        return new ModelEnsemble(loaded, cascade);
    }

    /** What reports record as the model that produced a matte: the members joined by {@code +}. */
    public String name() {
        return name;
    }

    public List<MattingModel> members() {
        return members;
    }

    /**
     * The ensemble's matte and each member's own, in the order of the setting: how much the members
     * agree is a measure of how far the matte can be trusted (compare/MatteConfidence). Under a
     * cascade, {@code members} holds only the mattes of the models that ran: the first alone where it was sure.
     */
    public record Prediction(AlphaMatte matte, List<AlphaMatte> members) {
    }

    /** The matte of an upright {@code TYPE_INT_RGB} image, each model's stages timed under their usual names. */
    public AlphaMatte predict(BufferedImage rgb, StageTimer timer) {
        return predictEach(rgb, timer).matte();
    }

    /** As {@link #predict(BufferedImage, StageTimer)}, keeping every member's matte beside the combined one. */
    public Prediction predictEach(BufferedImage rgb, StageTimer timer) {
        List<AlphaMatte> each = new ArrayList<>(members.size());
        AlphaMatte combined = null;
        for (MattingModel model : members) {
            if (cascade != null && each.size() == 1 && !timer.time("confidence", () -> cascade.runsTheRest(each.get(0)))) {
                break;
            }
            float[] tensor = timer.time("preprocess", () -> model.preprocess(rgb));
            float[] output = timer.time("inference", () -> model.infer(tensor));
            AlphaMatte matte = timer.time("postprocess", () -> model.postprocess(output, rgb.getWidth(), rgb.getHeight()));
            each.add(matte);
            if (combined == null) {
                combined = matte;
            } else {
                long start = System.nanoTime();
                if (combined == each.get(0)) {
                    // the first member's own matte stays as it was predicted
                    combined = new AlphaMatte(combined.width(), combined.height(), combined.values().clone());
                }
                max(combined, matte);
                timer.record("postprocess", System.nanoTime() - start);
            }
        }
        return new Prediction(combined, List.copyOf(each));
    }

    public AlphaMatte predict(BufferedImage rgb) {
        return predict(rgb, StageTimer.NONE);
    }

    /** {@code a} with every value raised to {@code b}'s where that is higher; {@code a} is reused. */
    static AlphaMatte max(AlphaMatte a, AlphaMatte b) {
        byte[] into = a.values();
        byte[] other = b.values();
        for (int i = 0; i < into.length; i++) {
            if ((other[i] & 0xFF) > (into[i] & 0xFF)) {
                into[i] = other[i];
            }
        }
        return a;
    }

    @Override
    public void close() {
        members.forEach(MattingModel::close);
    }
}
