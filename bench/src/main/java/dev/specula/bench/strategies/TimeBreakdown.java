package dev.specula.bench.strategies;

import dev.specula.bench.prediction.CostCurve;
import dev.specula.bench.prediction.SpeedupModel;
import dev.specula.bench.report.Column;
import dev.specula.bench.report.ResultTable;
import dev.specula.decoding.DecodeProfile;
import dev.specula.decoding.RowHistogram;
import java.util.Collection;

/**
 * Where each strategy's decode time goes, measured against what the cost curves predict: the tables that show
 * why real speedups fall short of predicted ones (forwards slower than the curve, or time outside the forwards).
 */
final class TimeBreakdown {
    private TimeBreakdown() {}

    /** Per generated token: target forward time (measured, curve), draft forward time (measured, curve), the rest. */
    static ResultTable perToken(Collection<StrategyTally> tallies, CostCurve curve, CostCurve draftCurve) {
        ResultTable t = new ResultTable("Where the time goes (ms per generated token)",
                Column.of("strategy"), Column.of("decode", "%.2f"), Column.of("target forwards", "%.2f"),
                Column.of("target by curve", "%.2f"), Column.of("draft forwards", "%.2f"), Column.of("draft by curve", "%.2f"),
                Column.of("other", "%.2f"), Column.of("other share", "%.3f"));
        for (StrategyTally tally : tallies) {
            long tokens = tally.generated();
            if (tokens == 0) continue;
            DecodeProfile p = tally.profile();
            double draftPredicted = p.draft().totalForwards() == 0 ? 0
                    : draftCurve == null ? Double.NaN : SpeedupModel.predictedMs(p.draft(), draftCurve) / tokens;
            double decode = tally.decodeMs();
            t.addRow(tally.name(), decode / tokens, p.targetForwardMs() / tokens, SpeedupModel.predictedMs(p.target(), curve) / tokens,
                    p.draftForwardMs() / tokens, draftPredicted, p.otherMs() / tokens, p.otherMs() / decode);
        }
        return t;
    }

    /** Target forwards of all strategies by row count: measured mean time against the curve. */
    static ResultTable byRows(Collection<StrategyTally> tallies, CostCurve curve) {
        RowHistogram all = RowHistogram.EMPTY;
        for (StrategyTally tally : tallies) all = all.plus(tally.profile().target());
        ResultTable t = new ResultTable("Target forwards by rows (all strategies): measured vs curve",
                Column.of("rows"), Column.of("forwards"), Column.of("measured ms", "%.2f"), Column.of("curve ms", "%.2f"),
                Column.of("measured/curve", "%.2f"));
        for (int r = 1; r <= all.maxRows(); r++) {
            long n = all.forwards(r);
            if (n == 0) continue;
            double measured = all.ms(r) / n, predicted = curve.millis(r);
            t.addRow(r, n, measured, predicted, measured / predicted);
        }
        return t;
    }

    /** Every run: tokens, speed, tokens and rows per target forward, and the time split. */
    static ResultTable perRun(Collection<StrategyTally> tallies, java.util.List<String> promptIds) {
        ResultTable t = new ResultTable("Runs",
                Column.of("strategy"), Column.of("prompt"), Column.of("round"), Column.of("tokens"), Column.of("tok/s", "%.1f"),
                Column.of("tokens/target forward", "%.2f"), Column.of("rows/target forward", "%.2f"), Column.of("target ms", "%.1f"),
                Column.of("draft ms", "%.1f"), Column.of("other ms", "%.1f"));
        for (StrategyTally tally : tallies) {
            for (StrategyTally.RunRecord r : tally.runs()) {
                DecodeProfile p = r.profile();
                t.addRow(tally.name(), promptIds.get(r.prompt()), r.rep() + 1, r.generated(), r.tokensPerSecond(),
                        r.targetForwards() == 0 ? Double.NaN : (double) r.generated() / r.targetForwards(), p.rowsPerForward(),
                        p.targetForwardMs(), p.draftForwardMs(), p.otherMs());
            }
        }
        return t;
    }
}
