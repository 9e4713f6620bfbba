package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.decoding.DecodeStats;
import dev.specula.decoding.GenerationResult;
import dev.specula.decoding.StopReason;
import dev.specula.decoding.StrategyKind;
import dev.specula.gguf.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoTest {
    private static Demo.Row row(StrategyKind kind, double tokensPerSecond, long targetForwards, long proposed, long accepted) {
        DecodeStats s = new DecodeStats(kind, 10, 96, (int) targetForwards, targetForwards, 0, proposed, accepted,
                96.0 / targetForwards, proposed == 0 ? 0 : (double) accepted / proposed, 5, 1000, tokensPerSecond, "");
        return new Demo.Row(kind, new GenerationResult(new int[96], s, StopReason.MAX_TOKENS));
    }

    @Test
    void tableShowsSpeedupAgainstTheFirstRow() {
        String table = Demo.table(List.of(
                row(StrategyKind.AR, 20.0, 96, 0, 0),
                row(StrategyKind.SPECULATIVE, 50.0, 24, 100, 72),
                row(StrategyKind.LOOKUP, 30.0, 48, 80, 48)));
        assertEquals(String.join("\n",
                "strategy      tokens     tok/s  speedup  tokens/forward  acceptance",
                "ar                96      20.0    1.00x            1.00          0%",
                "speculative       96      50.0    2.50x            4.00         72%",
                "lookup            96      30.0    1.50x            2.00         60%",
                ""), table);
    }

    /** One table row as printed: strategy, tokens, tok/s, speedup, tokens/forward, acceptance %. */
    private static final Pattern TABLE_ROW = Pattern.compile(
            "^(\\w+) +(\\d+) +([0-9.]+) +([0-9.]+)x +([0-9.]+) +(\\d+)%$", Pattern.MULTILINE);

    /** The real demo (bundled 88m target + 7m draft), with 12 tokens per strategy instead of 96. */
    @Test
    void demoRunsEveryStrategyLosslesslyAndPrintsTheTable() throws Exception {
        SharedData.require("models/pycode/" + BundledModels.TARGET);
        SharedData.require("models/pycode/" + BundledModels.DRAFT);
        int newTokens = 12;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Demo.Outcome outcome = Demo.run(new PrintWriter(out, true), new PrintWriter(err, true), newTokens);
        String text = out.toString();

        assertEquals("", err.toString());
        assertEquals(0, outcome.exitCode(), text);
        assertEquals(List.of(StrategyKind.AR, StrategyKind.SPECULATIVE, StrategyKind.LOOKUP),
                outcome.rows().stream().map(Demo.Row::strategy).toList());
        int[] reference = outcome.rows().get(0).result().ids();
        assertEquals(newTokens, reference.length, "greedy on this prompt does not stop early");
        for (Demo.Row r : outcome.rows()) assertArrayEquals(reference, r.result().ids(), r.strategy().toString());

        assertTrue(text.startsWith("Specula demo: " + BundledModels.TARGET + " (target) and " + BundledModels.DRAFT
                + " (draft), " + SystemInfo.defaultThreads() + " threads, greedy, 12 new tokens\n"), text);
        assertTrue(text.contains("\n--- ar ---\n" + Demo.PROMPT), text);
        assertTrue(text.contains("\n--- speculative ---\n" + Demo.PROMPT), text);
        assertTrue(text.contains("All strategies produced exactly the same tokens (lossless).\n"), text);

        List<String> tableStrategies = new ArrayList<>();
        Matcher m = TABLE_ROW.matcher(text);
        while (m.find()) tableStrategies.add(m.group(1));
        assertEquals(List.of("ar", "speculative", "lookup"), tableStrategies, text);
        for (String strategy : List.of("ar", "speculative")) {
            Matcher row = TABLE_ROW.matcher(text.substring(text.indexOf("\n" + strategy + " ") + 1));
            assertTrue(row.lookingAt(), strategy + " row: " + text);
            assertEquals(newTokens, Integer.parseInt(row.group(2)), strategy);
            assertTrue(Double.parseDouble(row.group(3)) > 0, strategy + " tok/s");
            assertTrue(Double.parseDouble(row.group(4)) > 0, strategy + " speedup");
            assertTrue(Double.parseDouble(row.group(5)) >= 1.0, strategy + " tokens per target forward");
        }
        Matcher ar = TABLE_ROW.matcher(text.substring(text.indexOf("\nar ") + 1));
        assertTrue(ar.lookingAt());
        assertEquals("1.00", ar.group(4), "AR is the speedup baseline");
        assertEquals("1.00", ar.group(5), "AR commits one token per target forward");
    }
}
