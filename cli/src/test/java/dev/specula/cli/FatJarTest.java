package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar specula.jar} (see {@link BuiltJar}) with no JVM flags must relaunch itself with the Vector API
 * module and keep stdout clean. Runs only when the fat jar has been built (mvn package / ./specula).
 */
class FatJarTest {
    @Test
    void runsWithoutJvmFlagsAndKeepsJsonOnStdout() throws Exception {
        var built = BuiltJar.find();
        Assumptions.assumeTrue(built.isPresent(), "skipped: specula.jar is not built (run ./specula or mvn package)");
        Path jar = built.get();
        Path model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stdout = Files.createTempFile("specula-out", ".json");
        Path stderr = Files.createTempFile("specula-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "info", "--system", "--json"))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -jar did not finish in 60 s");
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), err);
            JsonNode j = new ObjectMapper().readTree(Files.readString(stdout, StandardCharsets.UTF_8));
            assertTrue(j.get("vector_api").asBoolean(), "the relaunched JVM must have jdk.incubator.vector");

            Process info = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "info", "--json", model.toString()))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            assertTrue(info.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, info.exitValue(), Files.readString(stderr));
            assertEquals(7_342_336L, new ObjectMapper().readTree(stdout.toFile()).get("totals").get("params").asLong());

            Process missing = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "info", "/no/such/model.gguf"))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            assertTrue(missing.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, missing.exitValue(), "exit code passes through the relaunch");
            assertTrue(Files.readString(stderr).contains("specula: file not found: /no/such/model.gguf — check the path"),
                    Files.readString(stderr));

            // SPECULA_JAVA_OPTS reaches the relaunched JVM: with a tiny heap the KV-cache check (or, if the
            // heap runs out before it, the out-of-memory handler) says how to give Java more memory
            ProcessBuilder small = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "generate", "-m",
                    model.toString(), "-p", "x", "-n", "1")).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            small.environment().put("SPECULA_JAVA_OPTS", "-Xmx12m");
            Process oom = small.start();
            assertTrue(oom.waitFor(60, TimeUnit.SECONDS));
            String oomErr = Files.readString(stderr).replace("WARNING: Using incubator modules: jdk.incubator.vector\n", "");
            assertEquals(2, oom.exitValue(), oomErr);
            assertEquals(1, oomErr.lines().count(), oomErr);
            assertTrue(oomErr.startsWith("specula: ") && oomErr.contains("SPECULA_JAVA_OPTS=-Xmx"), oomErr);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
