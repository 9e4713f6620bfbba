package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when any engine main source names a fixed-width vector species: on a machine with narrower
 * vectors (AVX2, NEON, {@code -XX:MaxVectorSize=16}) such code runs the Java fallback, 100-250x slower.
 */
class NoFixedSpeciesTest {
    private static final Pattern FIXED = Pattern.compile("SPECIES_(512|256|128|64)\\b");

    @Test
    void engineSourcesUseOnlyThePreferredSpecies() throws IOException {
        Path sources = SharedData.repoRoot().resolve("engine/src/main/java");
        assertTrue(Files.isDirectory(sources), "engine main sources not found at " + sources);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                scanned++;
                List<String> lines = Files.readAllLines(p);
                for (int n = 0; n < lines.size(); n++) {
                    Matcher m = FIXED.matcher(lines.get(n));
                    if (m.find()) offenders.add(sources.relativize(p) + ":" + (n + 1) + " uses " + m.group());
                }
            }
        }
        assertTrue(scanned >= 5, "expected the kernel sources under " + sources + ", scanned " + scanned + " files");
        assertTrue(offenders.isEmpty(), "fixed vector species in engine sources (use KernelSpecies / SPECIES_PREFERRED): "
                + offenders);
    }
}
