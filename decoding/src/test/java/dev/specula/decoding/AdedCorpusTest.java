package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.LlamaModel;
import dev.specula.gguf.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADED's optional corpus: a saved tri-gram table or text tokenized with the model's tokenizer. */
class AdedCorpusTest {
    @TempDir
    Path dir;

    @Test
    void aSavedTableCorpusRaisesAcceptanceAndKeepsTheOutput() throws Exception {
        ToyModel target = ToyStrategyTest.TARGET;
        int[] prompt = {6, 1, 13};
        int[] expected = Generator.builder().target(target).build().generate(prompt, 48, null).ids();
        // a corpus that has seen this continuation before
        int[] text = new int[prompt.length + expected.length];
        System.arraycopy(prompt, 0, text, 0, prompt.length);
        System.arraycopy(expected, 0, text, prompt.length, expected.length);
        TrigramTable corpus = new TrigramTable();
        corpus.addAll(text, 0, text.length, 1f);
        Path file = dir.resolve("corpus.ngrams");
        corpus.save(file);
        GenerationResult plain = Generator.builder().target(target).strategy(StrategyKind.ADED).build().generate(prompt, 48, null);
        GenerationResult seeded = Generator.builder().target(target).strategy(StrategyKind.ADED)
                .options(DecodingOptions.builder().corpus(file).build()).build().generate(prompt, 48, null);
        assertArrayEquals(expected, plain.ids());
        assertArrayEquals(expected, seeded.ids());
        assertTrue(seeded.stats().targetForwards() < plain.stats().targetForwards(),
                "corpus-seeded ADED used " + seeded.stats().targetForwards() + " forwards, unseeded " + plain.stats().targetForwards());
    }

    @Test
    void aMissingCorpusIsRefusedByName() {
        Path missing = dir.resolve("nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Generator.builder()
                .target(ToyStrategyTest.TARGET).strategy(StrategyKind.ADED).options(DecodingOptions.builder().corpus(missing).build()).build());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aTextCorpusFolderIsTokenizedWithTheTargetTokenizer() throws Exception {
        var models = SharedData.require("models/pycode");
        Path corpusDir = Files.createDirectories(dir.resolve("corpus"));
        String source = """
                def fibonacci(n):
                    if n < 2:
                        return n
                    return fibonacci(n - 1) + fibonacci(n - 2)


                def factorial(n):
                    result = 1
                    for i in range(2, n + 1):
                        result *= i
                    return result
                """;
        Files.writeString(corpusDir.resolve("a.py"), source);
        Files.writeString(corpusDir.resolve("b.py"), source.replace("fibonacci", "fib"));
        try (Parallel pool = new Parallel(2); LlamaModel model = LlamaModel.load(models.resolve("pycode-7m-q8_0.gguf"), pool)) {
            TrigramTable table = AdedStrategy.loadCorpus(new LlamaDecodingModel(model), corpusDir);
            assertTrue(table.size() > 20, "only " + table.size() + " tri-gram keys from the corpus");
            int[] prompt = model.tokenizer().encode("def fibonacci(n):\n", true, false);
            int[] expected = Generator.builder().target(model).build().generate(prompt, 32, null).ids();
            GenerationResult r = Generator.builder().target(model).strategy(StrategyKind.ADED)
                    .options(DecodingOptions.builder().corpus(corpusDir).build()).build().generate(prompt, 32, null);
            assertArrayEquals(expected, r.ids());
            assertTrue(r.stats().targetForwards() <= 32);
        }
    }
}
