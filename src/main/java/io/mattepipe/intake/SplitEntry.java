package io.mattepipe.intake;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file found in an upload.
 *
 * @param seq    position among IMAGE and REJECTED entries (0, 1, 2… in encounter order, the same
 *               for the same input); -1 for GROUND_TRUTH
 * @param taskId {@code %06d} of {@code seq}; null for GROUND_TRUTH
 * @param name   the sanitised relative name, '/' separated, for display and output naming; never a
 *               file path. For an entry rejected for an unsafe name it is the raw name with control
 *               characters escaped, so that the reason can be shown next to it.
 * @param kind   what the entry is
 * @param file   where the bytes were written; null for REJECTED
 * @param error  why the entry was rejected; null otherwise
 */
public record SplitEntry(long seq, String taskId, String name, Kind kind, Path file, String error) {

    public enum Kind { IMAGE, GROUND_TRUTH, REJECTED }

    public SplitEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.REJECTED) != (error != null) || (kind == Kind.REJECTED) == (file != null)) {
            throw new IllegalArgumentException("a " + kind + " entry needs " + (kind == Kind.REJECTED
                    ? "an error and no file" : "a file and no error") + ": " + name);
        }
        if ((kind == Kind.GROUND_TRUTH) != (taskId == null)) {
            throw new IllegalArgumentException("only ground truth goes without a task id: " + name);
        }
    }

    static SplitEntry image(long seq, String name, Path file) {
        return new SplitEntry(seq, ArchiveSplitter.taskId(seq), name, Kind.IMAGE, file, null);
    }

    static SplitEntry groundTruth(String name, Path file) {
        return new SplitEntry(-1, null, name, Kind.GROUND_TRUTH, file, null);
    }

    static SplitEntry rejected(long seq, String name, String error) {
        return new SplitEntry(seq, ArchiveSplitter.taskId(seq), name, Kind.REJECTED, null, error);
    }
}
