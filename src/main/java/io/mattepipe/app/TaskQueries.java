package io.mattepipe.app;

import org.apache.camel.ProducerTemplate;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The reads that Java code needs outside a route (result zips are written on their own thread),
 * sent through the same camel-sql statements as everything else.
 */
public final class TaskQueries {

    private final ProducerTemplate template;
    private final int pageSize;

    public TaskQueries(ProducerTemplate template, int pageSize) {
        this.template = template;
        this.pageSize = pageSize;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> job(String jobId) {
        return template.requestBodyAndHeader("sql:classpath:sql/job-get.sql?outputType=SelectOne", null,
                PipelineHeaders.JOB_ID, jobId, Map.class);
    }

    /** One task row, or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> task(String jobId, String taskId) {
        return template.requestBodyAndHeaders("sql:classpath:sql/task-get.sql?outputType=SelectOne", null,
                Map.of(PipelineHeaders.JOB_ID, jobId, PipelineHeaders.TASK_ID, taskId), Map.class);
    }

    /** {@code state → n} rows of the job's tasks. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> counts(String jobId) {
        return template.requestBodyAndHeader("sql:classpath:sql/job-counts.sql", null, PipelineHeaders.JOB_ID, jobId, List.class);
    }

    /** {@code state → n} rows over all jobs. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> countsByState() {
        return template.requestBody("sql:classpath:sql/tasks-by-state.sql", null, List.class);
    }

    /** Every task of the job, in task order, a page at a time. */
    public Iterator<Map<String, Object>> tasks(String jobId) {
        return new TaskPages(jobId, this::page);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> page(String jobId, String after) {
        return template.requestBodyAndHeaders("sql:classpath:sql/tasks-page.sql", null,
                Map.of(PipelineHeaders.JOB_ID, jobId, PipelineHeaders.AFTER, after, PipelineHeaders.PAGE_SIZE, pageSize), List.class);
    }
}
