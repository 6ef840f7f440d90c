package io.mattepipe.state;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The states of a job (DESIGN.md, "Task states"), the one list of their names; see {@link TaskState}. */
public enum JobState {
    RECEIVING,
    SPLITTING,
    RUNNING,
    COMPLETED,
    COMPLETED_WITH_ERRORS,
    CANCELLED;

    private static final Set<String> NAMES = Arrays.stream(values()).map(JobState::sqlName).collect(Collectors.toUnmodifiableSet());

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its results are final: nothing of it runs any more. */
    public boolean isFinished() {
        return this == COMPLETED || this == COMPLETED_WITH_ERRORS || this == CANCELLED;
    }

    public static JobState of(Object sqlName) {
        return valueOf(String.valueOf(sqlName).toUpperCase(Locale.ROOT));
    }

    public static boolean isName(String sqlName) {
        return NAMES.contains(sqlName);
    }
}
