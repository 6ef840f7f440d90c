package io.mattepipe.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a job (DESIGN.md, "Task states"), the one list of their names and of the allowed
 * transitions ({@link #next()}); see {@link TaskState}.
 */
public enum JobState {
    RECEIVING,
    SPLITTING,
    RUNNING,
    COMPLETED,
    COMPLETED_WITH_ERRORS,
    CANCELLED;

    private static final Set<String> NAMES = Arrays.stream(values()).map(JobState::sqlName).collect(Collectors.toUnmodifiableSet());

    /** Its results are final: nothing of it runs any more. */
    public static final Set<JobState> FINISHED = Collections.unmodifiableSet(EnumSet.of(COMPLETED, COMPLETED_WITH_ERRORS, CANCELLED));

    /** A job's row goes in while its upload or drop is still being received. */
    public static final Set<JobState> INITIAL = Collections.unmodifiableSet(EnumSet.of(RECEIVING));

    private static final Map<JobState, Set<JobState>> NEXT = new EnumMap<>(JobState.class);

    static {
        // cancelled also when its upload was abandoned
        NEXT.put(RECEIVING, EnumSet.of(SPLITTING, CANCELLED));
        NEXT.put(SPLITTING, EnumSet.of(RUNNING, CANCELLED));
        NEXT.put(RUNNING, EnumSet.of(COMPLETED, COMPLETED_WITH_ERRORS, CANCELLED));
        // a retry reopens a finished job: to run its failed tasks again, or to split again after a failed split
        NEXT.put(COMPLETED, EnumSet.of(RUNNING, SPLITTING));
        NEXT.put(COMPLETED_WITH_ERRORS, EnumSet.of(RUNNING, SPLITTING));
        NEXT.put(CANCELLED, EnumSet.noneOf(JobState.class));
        NEXT.replaceAll((state, next) -> Collections.unmodifiableSet(next));
    }

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its results are final: nothing of it runs any more. */
    public boolean isFinished() {
        return FINISHED.contains(this);
    }

    /** The states a statement may move a job in this state to. */
    public Set<JobState> next() {
        return NEXT.get(this);
    }

    public static JobState of(Object sqlName) {
        return valueOf(String.valueOf(sqlName).toUpperCase(Locale.ROOT));
    }

    public static boolean isName(String sqlName) {
        return NAMES.contains(sqlName);
    }
}
