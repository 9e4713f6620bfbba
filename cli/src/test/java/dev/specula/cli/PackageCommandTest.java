package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonEmptyOutputFolder() throws Exception {
        Files.writeString(dir.resolve("keep.txt"), "x");
        Path jar = dir.resolve("fake.jar");
        Files.writeString(jar, "not used");
        CliRun r = CliRun.run("package", "--out", dir.toString(), "--jar", jar.toString());
        assertEquals(2, r.exitCode());
        assertEquals("specula: " + dir + " already exists and is not an empty folder — choose a new --out folder\n", r.err());
    }

    @Test
    void missingJarSaysHowToBuildIt() {
        CliRun r = CliRun.run("package", "--out", dir.resolve("out").toString(), "--jar", dir.resolve("none.jar").toString());
        assertEquals(2, r.exitCode());
        assertEquals("specula: jar not found: " + dir.resolve("none.jar") + " — build it with ./specula or mvn package\n", r.err());
    }

    @Test
    void launcherRunsTheJarOnTheBundledRuntime() {
        String script = PackageCommand.launcherScript();
        assertTrue(script.startsWith("#!/usr/bin/env bash\n"), script);
        assertTrue(script.contains("exec \"$DIR/runtime/bin/java\" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \\\n"
                + "  ${SPECULA_JAVA_OPTS:-} -jar \"$DIR/lib/specula.jar\" \"$@\"\n"), script);
    }

    /** The real thing (jdeps + jlink, ~20 s); only when the fat jar has been built. */
    @Test
    void packagesARunnableFolder() throws Exception {
        Path jar = SharedData.repoRoot().resolve("cli/target/specula.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is not built (run ./specula or mvn package)");
        Path out = dir.resolve("specula-dist");
        CliRun r = CliRun.run("package", "--out", out.toString(), "--jar", jar.toString(), "--no-models");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("packaged " + out + "\n"), r.out());
        assertTrue(Files.isExecutable(out.resolve("runtime/bin/java")));
        assertTrue(Files.isRegularFile(out.resolve("lib/specula.jar")));
        assertFalse(Files.exists(out.resolve("runtime/lib/libawt.so")));
        Path stdout = dir.resolve("stdout.json");
        Process p = new ProcessBuilder(List.of(out.resolve("specula").toString(), "info", "--system", "--json"))
                .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        var j = new ObjectMapper().readTree(stdout.toFile());
        assertTrue(j.get("vector_api").asBoolean());
        assertEquals(out.resolve("runtime").toString(), j.get("java_home").asText());
    }
}
