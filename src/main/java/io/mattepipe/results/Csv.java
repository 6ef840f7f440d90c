package io.mattepipe.results;

import java.io.IOException;
import java.io.Writer;

/** The CSV report, one RFC 4180 line per task (CRLF line ends, quotes doubled). */
final class Csv {

    static final String HEADER = "name,output_name,state,error,retries,matting_s,compare_s,width,height,"
            + "foreground,uncertain,components,largest_share,warnings,sad,mse,grad,conn,iou,"
            + "confidence,agreement,doubts,review,matte_version";
    private static final String EOL = "\r\n";
    private static final int SIGNIFICANT_DIGITS = 6;

    private final Writer out;
    private final StringBuilder line = new StringBuilder(256);

    Csv(Writer out) throws IOException {
        this.out = out;
        out.write(HEADER);
        out.write(EOL);
    }

    void write(TaskRow row) throws IOException {
        line.setLength(0);
        text(row.name()).text(row.outputName()).text(row.state()).text(row.error())
                .raw(Numbers.integer(row.retries()))
                .raw(Numbers.seconds(row.mattingMs())).raw(Numbers.seconds(row.compareMs()))
                .raw(Numbers.integer(row.width())).raw(Numbers.integer(row.height()))
                .figure(row.foreground()).figure(row.uncertain()).raw(Numbers.integer(row.components()))
                .figure(row.largestShare())
                .text(row.warnings().isEmpty() ? null : String.join(",", row.warnings()))
                .figure(row.sad()).figure(row.mse()).figure(row.grad()).figure(row.conn()).figure(row.iou())
                .figure(row.confidence()).figure(row.agreement())
                .text(row.doubts().isEmpty() ? null : String.join(",", row.doubts())).text(row.review())
                .raw(Numbers.integer(row.matteVersion()));
        line.setCharAt(line.length() - 1, '\r');
        line.append('\n');
        out.append(line);
    }

    /**
     * RFC 4180 quoting, plus a leading apostrophe on text a spreadsheet would run as a formula:
     * names come from user archives, and {@code =HYPERLINK(...)} in a file name must stay text.
     */
    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private Csv text(String value) {
        return raw(field(value));
    }

    private Csv figure(Double value) {
        return raw(Numbers.significant(value, SIGNIFICANT_DIGITS));
    }

    /** Appends a field and its separator; the last separator becomes the line end. */
    private Csv raw(String value) {
        line.append(value).append(',');
        return this;
    }
}
