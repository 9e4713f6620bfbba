package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPECULA_JAVA_OPTS and JAVA_TOOL_OPTIONS must reach the JVM that runs the model, also through the
 * self-relaunch of {@code java -jar specula.jar}: {@code -XX:MaxVectorSize=16} limits the preferred
 * vector shape to 128 bits = 4 float lanes, which {@code info --system} reports. Runs when the fat
 * jar has been built.
 */
class JvmOptionsTest {
    private static Path jar;

    @BeforeAll
    static void findJar() {
        var found = BuiltJar.find();
        Assumptions.assumeTrue(found.isPresent(), "skipped: specula.jar is not built (run ./specula or mvn package)");
        jar = found.get();
    }

    private record Run(int exitCode, String out, String err) {}

    /** {@code java -jar specula.jar info --system ...} with exactly the given extra environment. */
    private static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("specula-out", ".txt");
        Path err = Files.createTempFile("specula-err", ".txt");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-jar", jar.toString(), "info", "--system"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("SPECULA_JAVA_OPTS");
            pb.environment().putAll(env);
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "specula info --system did not finish in 60 s");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static JsonNode json(Run r) throws IOException {
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void speculaJavaOptsReachTheRelaunchedJvm() throws Exception {
        JsonNode j = json(run(Map.of("SPECULA_JAVA_OPTS", "-XX:MaxVectorSize=16"), "--json"));
        assertTrue(j.get("vector_api").asBoolean());
        assertEquals(128, j.get("vector_bits").asInt());
        assertEquals(4, j.get("float_lanes").asInt());
        assertEquals(0, j.get("warnings").size(), j.toString());
    }

    @Test
    void javaToolOptionsReachTheRelaunchedJvm() throws Exception {
        Run r = run(Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxVectorSize=16"), "--json");
        assertTrue(r.err().contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxVectorSize=16"), r.err());
        JsonNode j = json(r);
        assertEquals(4, j.get("float_lanes").asInt());
    }

    @Test
    void aNarrowVectorShapeIsWarnedAbout() throws Exception {
        Run r = run(Map.of("SPECULA_JAVA_OPTS", "-XX:MaxVectorSize=8"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\nVector API:   yes (jdk.incubator.vector), preferred shape 64 bits = 2 float lanes\n"), r.out());
        assertTrue(r.out().endsWith("\nWARNING: the preferred vector shape is only 64 bits (< 128): the SIMD kernels will be slow;"
                + " check -XX:MaxVectorSize and the CPU's SIMD support\n"), r.out());
    }
}
