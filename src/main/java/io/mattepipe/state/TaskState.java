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
 * The states of a task (DESIGN.md, "Task states"), the one list of their names. The statements
 * under {@code sql/} and the routes spell them as literals, so that they read as the flow;
 * {@code StateNamesTest} refuses a literal that is not here, and the schema's CHECK constraint
 * refuses a row whose state is not here. The allowed transitions are {@link #next()}; {@code
 * StateTransitionsTest} holds every statement that writes a state to them.
 */
public enum TaskState {
    PENDING,
    DISPATCHED_MATTING,
    PROCESSING,
    MATTING_DONE,
    DISPATCHED_COMPARISON,
    COMPARING,
    COMPLETED,
    FAILED,
    PERMANENTLY_FAILED,
    /** A task of a cancelled job: terminal, never retried. */
    CANCELLED;

    private static final Set<String> NAMES = Arrays.stream(values()).map(TaskState::sqlName).collect(Collectors.toUnmodifiableSet());

    /** No message moves a task out of these (only a retry of the job does): its job may finish. */
    public static final Set<TaskState> TERMINAL = Collections.unmodifiableSet(EnumSet.of(COMPLETED, PERMANENTLY_FAILED, CANCELLED));

    /** Inside a stage: claimed by matting, matted, or in the comparison; the page counts these half done. */
    public static final Set<TaskState> IN_FLIGHT = Collections.unmodifiableSet(EnumSet.of(PROCESSING, MATTING_DONE,
            DISPATCHED_COMPARISON, COMPARING));

    /** What the split inserts: a task for the matting stage, or an entry it already refused. */
    public static final Set<TaskState> INITIAL = Collections.unmodifiableSet(EnumSet.of(DISPATCHED_MATTING, PERMANENTLY_FAILED));

    private static final Map<TaskState, Set<TaskState>> NEXT = new EnumMap<>(TaskState.class);

    static {
        // a cancel takes every unfinished task; a permanent failure (the last try failed, a file that
        // is no image, a redelivery past the last try) can end any of them
        for (TaskState unfinished : EnumSet.complementOf(EnumSet.copyOf(TERMINAL))) {
            NEXT.put(unfinished, EnumSet.of(CANCELLED, PERMANENTLY_FAILED));
        }
        // re-sent as it was (recovery, a redelivered split), or as its retry says (matting_ms set or not)
        NEXT.get(PENDING).addAll(EnumSet.of(DISPATCHED_MATTING, DISPATCHED_COMPARISON));
        NEXT.get(DISPATCHED_MATTING).addAll(EnumSet.of(DISPATCHED_MATTING, PROCESSING));
        // processing to processing: a dead worker's claim taken over; back to dispatched: re-queued by recovery
        NEXT.get(PROCESSING).addAll(EnumSet.of(PROCESSING, MATTING_DONE, FAILED, DISPATCHED_MATTING));
        NEXT.get(MATTING_DONE).addAll(EnumSet.of(DISPATCHED_COMPARISON, COMPARING));
        NEXT.get(DISPATCHED_COMPARISON).addAll(EnumSet.of(DISPATCHED_COMPARISON, COMPARING));
        NEXT.get(COMPARING).addAll(EnumSet.of(COMPARING, COMPLETED, FAILED, DISPATCHED_COMPARISON));
        // a failed attempt is claimed again by the stage it failed in, or re-queued to it
        NEXT.get(FAILED).addAll(EnumSet.of(PROCESSING, COMPARING, DISPATCHED_MATTING, DISPATCHED_COMPARISON));
        NEXT.put(COMPLETED, EnumSet.noneOf(TaskState.class));
        // only a retry of the job moves a task out of a terminal state
        NEXT.put(PERMANENTLY_FAILED, EnumSet.of(PENDING));
        NEXT.put(CANCELLED, EnumSet.noneOf(TaskState.class));
        NEXT.replaceAll((state, next) -> Collections.unmodifiableSet(next));
    }

    /** The name as stored and as the API shows it: {@code dispatched_matting}. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** No message moves a task out of a terminal state (only a retry of the job does). */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public boolean isInFlight() {
        return IN_FLIGHT.contains(this);
    }

    /** The states a statement may move a task in this state to; itself where a task is re-sent or taken over. */
    public Set<TaskState> next() {
        return NEXT.get(this);
    }

    public static TaskState of(Object sqlName) {
        return valueOf(String.valueOf(sqlName).toUpperCase(Locale.ROOT));
    }

    public static boolean isName(String sqlName) {
        return NAMES.contains(sqlName);
    }
}
