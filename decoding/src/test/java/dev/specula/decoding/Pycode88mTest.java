package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.LlamaModel;
import dev.specula.gguf.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The speculative-decoding pair the project is built for: target 88m Q8_0 with the 7m and 19m drafts, greedy. */
class Pycode88mTest {
    @Test
    void draftedGreedyOutputIsIdenticalToAutoregressiveOn88m() throws Exception {
        var dir = SharedData.require("models/pycode");
        try (Parallel pool = new Parallel(2);
             LlamaModel target = LlamaModel.load(dir.resolve("pycode-88m-q8_0.gguf"), pool);
             LlamaModel draft7 = LlamaModel.load(dir.resolve("pycode-7m-q8_0.gguf"), pool);
             LlamaModel draft19 = LlamaModel.load(dir.resolve("pycode-19m-q4_0.gguf"), pool)) {
            List<int[]> prompts = PycodePrompts.load(target.tokenizer(), 3, 40);
            Generator ar = Generator.builder().target(target).build();
            Generator spec7 = Generator.builder().target(target).drafts(List.of(draft7)).strategy(StrategyKind.SPECULATIVE).build();
            Generator spec19 = Generator.builder().target(target).drafts(List.of(draft19)).strategy(StrategyKind.SPECULATIVE).build();
            Generator lookup = Generator.builder().target(target).strategy(StrategyKind.LOOKUP).build();
            long arForwards = 0, specForwards = 0;
            for (int i = 0; i < prompts.size(); i++) {
                int[] p = prompts.get(i);
                GenerationResult expected = ar.generate(p, 24, null);
                GenerationResult s7 = spec7.generate(p, 24, null);
                assertArrayEquals(expected.ids(), s7.ids(), "speculative (7m draft) differs on prompt " + i);
                assertArrayEquals(expected.ids(), spec19.generate(p, 24, null).ids(), "speculative (19m draft) differs on prompt " + i);
                assertArrayEquals(expected.ids(), lookup.generate(p, 24, null).ids(), "lookup differs on prompt " + i);
                arForwards += expected.stats().targetForwards();
                specForwards += s7.stats().targetForwards();
            }
            assertTrue(specForwards < arForwards, "speculative used " + specForwards + " target forwards, AR " + arForwards);
        }
    }
}
