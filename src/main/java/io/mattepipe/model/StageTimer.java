package io.mattepipe.model;

/**
 * Where the time of one image goes, stage by stage (decode, preprocess, inference, postprocess,
 * encode, comparison, state writes): the figures behind {@code /metrics} and {@code mattepipe bench}.
 */
@FunctionalInterface
public interface StageTimer {

    StageTimer NONE = (stage, nanos) -> { };

    void record(String stage, long nanos);

    /** Runs {@code work}, records its duration under {@code stage}, returns its result. */
    default <T, E extends Exception> T time(String stage, Work<T, E> work) throws E {
        long start = System.nanoTime();
        try {
            return work.run();
        } finally {
            record(stage, System.nanoTime() - start);
        }
    }

    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }
}
