package io.mattepipe.app;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The file names downloads arrive under: the job's or the image's own, never an id. */
final class DownloadNames {

    private DownloadNames() {
    }

    /** {@code holiday.zip} → {@code holiday-results.zip}; a job without a name falls back to its id. */
    static String resultsZip(Map<String, Object> job) {
        return stem(job) + "-results.zip";
    }

    /** The job's name without folders or an archive's extension: {@code /in/holiday.tar.gz} → {@code holiday}. */
    static String stem(Map<String, Object> job) {
        Object name = job.get("name");
        String last = name == null ? "" : name.toString().replace('\\', '/');
        last = last.substring(last.lastIndexOf('/') + 1);
        String stem = last.replaceAll("(\\.tar)?\\.[A-Za-z0-9]{1,4}$", "");
        return stem.isBlank() ? job.get("job_id").toString() : stem;
    }

    /**
     * A {@code Content-Disposition} value: a plain-ASCII {@code filename} for old clients and the
     * exact name as {@code filename*} (RFC 6266), so "Çalışma.zip" keeps its letters.
     */
    static String attachment(String fileName) {
        String ascii = fileName.replaceAll("[^A-Za-z0-9 ._()-]", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
