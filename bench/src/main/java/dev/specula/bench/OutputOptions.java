package dev.specula.bench;

import dev.specula.bench.report.BenchReport;
import dev.specula.bench.report.ReportWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The output flags every bench subcommand shares (picocli mixin): Markdown on stdout, plus files. */
public final class OutputOptions {
    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table(s) as CSV (extra tables go to FILE.2.csv, ...).")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the whole report as JSON.")
    Path json;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also write the chart as SVG (with the roofline where one applies).")
    Path svg;

    /** Prints the Markdown to {@code out} and writes every requested file; file paths are reported on {@code err}. */
    public void emit(BenchReport report, PrintStream out, PrintStream err) throws IOException {
        out.print(report.toMarkdown());
        out.flush();
        if (csv != null) for (Path p : ReportWriter.writeCsv(report, csv)) err.println("wrote " + p);
        if (json != null) {
            ReportWriter.writeJson(report, json);
            err.println("wrote " + json);
        }
        if (svg != null) {
            if (report.chart() == null) {
                err.println("no chart for this report; --svg " + svg + " not written");
            } else {
                ReportWriter.writeSvg(report, svg);
                err.println("wrote " + svg);
            }
        }
    }
}
