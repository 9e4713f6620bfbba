package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specula.decoding.DecodeStats;
import dev.specula.decoding.GenerationResult;
import dev.specula.decoding.StopReason;
import dev.specula.decoding.StrategyKind;
import java.util.List;
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
}
