package io.mattepipe.state;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a task (DESIGN.md, "Task states"), the one list of their names. The statements
 * under {@code sql/} and the routes spell them as literals, so that they read as the flow;
 * {@code StateNamesTest} refuses a literal that is not here, and the schema's CHECK constraint
 * refuses a row whose state is not here.
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

    /** The name as stored and as the API shows it: {@code dispatched_matting}. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** No message moves a task out of a terminal state (only a retry of the job does). */
    public boolean isTerminal() {
        return this == COMPLETED || this == PERMANENTLY_FAILED || this == CANCELLED;
    }

    public static TaskState of(Object sqlName) {
        return valueOf(String.valueOf(sqlName).toUpperCase(Locale.ROOT));
    }

    public static boolean isName(String sqlName) {
        return NAMES.contains(sqlName);
    }
}
