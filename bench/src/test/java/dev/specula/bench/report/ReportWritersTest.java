package dev.specula.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportWritersTest {
    private static ResultTable strategies() {
        return new ResultTable("Strategies",
                Column.of("strategy"), Column.of("tok/s", "%.1f"), Column.of("speedup", "%.2fx"), Column.of("note"))
                .addRow("ar", 100.0, 1.0, null)
                .addRow("speculative", 123.456, 1.23456, "draft, \"7m\"")
                .addRow("a|b", 5, Double.NaN, "line1\nline2");
    }

    private static BenchReport report() {
        ChartSpec chart = new ChartSpec(ChartSpec.Kind.BAR, "Decode <speed> & more", "strategy", "tokens/s",
                List.of("ar", "speculative", "lookup"),
                List.of(new ChartSpec.Series("t=1", new double[] {100, 123, 140}),
                        new ChartSpec.Series("t=2", new double[] {150, 180, Double.NaN})),
                new ChartSpec.Series("roofline 330 tok/s", new double[] {330, 330, 330}));
        return new BenchReport("Test report").note("machine: test").table(strategies())
                .table(new ResultTable("Second", Column.of("k"), Column.of("ms")).addRow(1, 2.5)).chart(chart);
    }

    @Test
    void markdownHasHeaderAlignmentAndFormattedCells() {
        String expected = """
                ### Strategies

                | strategy | tok/s | speedup | note |
                | --- | ---: | ---: | --- |
                | ar | 100.0 | 1.00x |  |
                | speculative | 123.5 | 1.23x | draft, "7m" |
                | a\\|b | 5 | - | line1 line2 |
                """;
        assertEquals(expected, strategies().toMarkdown());
    }

    @Test
    void reportMarkdownListsNotesThenTables() {
        String md = report().toMarkdown();
        assertTrue(md.startsWith("## Test report\n\n- machine: test\n\n### Strategies\n"), md);
        assertTrue(md.contains("### Second\n\n| k | ms |\n| ---: | ---: |\n| 1 | 2.50 |\n"), md);
    }

    @Test
    void csvQuotesSpecialFieldsAndKeepsFullPrecision() {
        String expected = "strategy,tok/s,speedup,note\n"
                + "ar,100,1,\n"
                + "speculative,123.456,1.23456,\"draft, \"\"7m\"\"\"\n"
                + "a|b,5,,\"line1\nline2\"\n";
        assertEquals(expected, strategies().toCsv());
    }

    @Test
    void csvFilesOnePerTable(@TempDir Path dir) throws Exception {
        List<Path> files = ReportWriter.writeCsv(report(), dir.resolve("out.csv"));
        assertEquals(List.of(dir.resolve("out.csv"), dir.resolve("out.2.csv")), files);
        assertEquals("k,ms\n1,2.5\n", Files.readString(dir.resolve("out.2.csv")));
    }

    @Test
    void jsonCarriesTablesNotesAndChart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.json");
        ReportWriter.writeJson(report(), file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("Test report", root.get("title").asText());
        assertEquals("machine: test", root.get("notes").get(0).asText());
        JsonNode rows = root.get("tables").get(0).get("rows");
        assertEquals(3, rows.size());
        assertEquals("speculative", rows.get(1).get("strategy").asText());
        assertEquals(123.456, rows.get(1).get("tok/s").asDouble());
        assertTrue(rows.get(0).get("note").isNull());
        assertTrue(rows.get(2).get("speedup").isNull(), "NaN becomes null");
        JsonNode chart = root.get("chart");
        assertEquals("bar", chart.get("kind").asText());
        assertEquals(330.0, chart.get("roofline").get("values").get(2).asDouble());
        assertTrue(chart.get("series").get(1).get("values").get(2).isNull());
    }

    @Test
    void svgIsWellFormedXmlWithOneBarPerValueAndTheRoofline() throws Exception {
        String svg = SvgChart.render(report().chart());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(5, countByClass(doc, "rect", "bar"), "3 + 2 finite values");
        assertEquals(1, countByClass(doc, "polyline", "roofline"));
        Element roof = byClass(doc, "polyline", "roofline");
        // constant roofline: every point at the same y
        String[] pts = roof.getAttribute("points").split(" ");
        assertEquals(6, pts.length);
        String y = pts[0].split(",")[1];
        for (String p : pts) assertEquals(y, p.split(",")[1]);
        assertEquals("Decode <speed> & more", byClass(doc, "text", "title").getTextContent());
        // the roofline (330) is the highest value: it must sit above every bar
        double roofY = Double.parseDouble(y);
        NodeList rects = doc.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if ("bar".equals(r.getAttribute("class"))) assertTrue(Double.parseDouble(r.getAttribute("y")) > roofY);
        }
    }

    @Test
    void lineChartHasOnePolylinePerSeries() throws Exception {
        ChartSpec chart = new ChartSpec(ChartSpec.Kind.LINE, "k-row cost", "k", "ms", List.of("1", "2", "4"),
                List.of(new ChartSpec.Series("Q8_0", new double[] {1, 1.1, 1.5}), new ChartSpec.Series("Q4_0", new double[] {1, 1.2, 2})),
                null);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(SvgChart.render(chart).getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, countByClass(doc, "polyline", "series-line"));
        assertEquals(0, countByClass(doc, "polyline", "roofline"));
        assertEquals(6, countByClass(doc, "circle", "point"));
    }

    @Test
    void niceTicksCoverTheMaximum() {
        assertEquals(List.of(0.0, 100.0, 200.0, 300.0, 400.0), box(SvgChart.niceTicks(330))); // 330 / 5 = 66 -> step 100
        assertEquals(List.of(0.0, 50.0, 100.0, 150.0, 200.0), box(SvgChart.niceTicks(200)));
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0), box(SvgChart.niceTicks(1)));
    }

    @Test
    void autoFormatKeepsAboutThreeSignificantDigits() {
        assertEquals(List.of("0", "0.123", "1.23", "12.3", "123", "12346", "2", "-1.50", "-", "inf"),
                java.util.stream.DoubleStream.of(0, 0.1234, 1.234, 12.34, 123.4, 12345.6, 2.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY)
                        .mapToObj(Fmt::auto).toList());
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> strategies().addRow("too", "few"));
        assertThrows(IllegalArgumentException.class, () -> new ChartSpec(ChartSpec.Kind.BAR, "t", "x", "y", List.of("a", "b"),
                List.of(new ChartSpec.Series("s", new double[] {1})), null));
        assertThrows(IllegalStateException.class, () -> ReportWriter.writeSvg(new BenchReport("no chart"), Path.of("x.svg")));
    }

    private static List<Double> box(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    private static int countByClass(Document doc, String tag, String cls) {
        NodeList nodes = doc.getElementsByTagName(tag);
        int n = 0;
        for (int i = 0; i < nodes.getLength(); i++) if (cls.equals(((Element) nodes.item(i)).getAttribute("class"))) n++;
        return n;
    }

    private static Element byClass(Document doc, String tag, String cls) {
        NodeList nodes = doc.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cls.equals(e.getAttribute("class"))) return e;
        }
        throw new AssertionError("no <" + tag + " class=" + cls + ">");
    }
}
