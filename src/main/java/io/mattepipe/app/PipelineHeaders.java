package io.mattepipe.app;

/**
 * The message headers the routes, the statements and the beans pass between them, each declared
 * once with its type and meaning, as Camel's components declare theirs (camel-sql's
 * {@code SqlConstants}). Java code uses these constants; the routes and statements spell the same
 * names ({@code ${header.jobId}}, {@code :#jobId}), and {@code PipelineHeadersTest} refuses a
 * header there that is neither here, nor Camel's, nor an API parameter of {@code openapi.json}.
 * Task and job rows travel as the body, so their columns ({@code :#job_id}) are no headers.
 */
public final class PipelineHeaders {

    /** {@code String}: the job a message, a statement or an API call is about. */
    public static final String JOB_ID = "jobId";

    /** {@code String}: the task of an API call, or of a message the broker redelivered. */
    public static final String TASK_ID = "taskId";

    /** {@code String}: why an attempt, a task or a job failed, as its {@code error} column keeps it. */
    public static final String ERROR = "error";

    /** {@code String} "0": another try cannot fix this permanent failure (not an image, a corrupt file); unset, the task stays retryable. */
    public static final String RETRYABLE = "retryable";

    /** {@code String}: why a split stopped before the archive's end; kept on the job. */
    public static final String SPLIT_ERROR = "splitError";

    /** {@link MattingStage.Outcome}: the matting stage's time and the image's size, for the task's row. */
    public static final String MATTING = "matting";

    /** {@link ComparisonStage.Figures}: the comparison's time and quality figures, for the task's row. */
    public static final String FIGURES = "figures";

    /** {@code String}: where a job came from: {@code upload}, {@code inbox}, {@code folder} or {@code batch}. */
    public static final String SOURCE = "source";

    /** {@code Long}: the size of a received upload or inbox drop. */
    public static final String BYTES = "bytes";

    /** {@code String}: an inbox drop's file name, to find an earlier drop of the same file. */
    public static final String NAME = "name";

    /** {@code String}: the output name of the task whose comparison panel a report links. */
    public static final String OUTPUT_NAME = "outputName";

    /** {@code String} time stamp: recovery and the sweep take only jobs created before it. */
    public static final String STARTED_AT = "startedAt";

    /** {@code String}: the node that asks for the recovery sweep's lease. */
    public static final String SWEEPER = "sweeper";

    /** {@code String} time stamp: when the sweep asks for its lease; an older lease has expired. */
    public static final String NOW = "now";

    /** {@code String} time stamp: until when the sweep's lease holds once taken. */
    public static final String LEASE_UNTIL = "leaseUntil";

    /** {@code String}: the last task id of the page before, when reports and zips walk a job's tasks. */
    public static final String AFTER = "after";

    /** {@code Integer}: tasks per page when reports and zips walk a job's tasks ({@code db.page-size}). */
    public static final String PAGE_SIZE = "pageSize";

    /** {@code String}: who a new job belongs to (an inbox or command-line job: {@code auth.inbox-owner}), or whose jobs a list shows. */
    public static final String OWNER = "owner";

    /** {@code Integer} 1 or 0: the caller is an admin, and a job list shows every owner's jobs. */
    public static final String SEES_ALL = "seesAll";

    /** {@code String} accepted, rejected or null: a person's decision on a task's cutout (the review queue). */
    public static final String REVIEW = "review";

    /** {@code Integer}: the task's matte version now in use, 0 for the model's own. */
    public static final String MATTE_VERSION = "matteVersion";

    private PipelineHeaders() {
    }
}
