package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * The real thing (jdeps + jlink + strip, ~30 s; only when the fat jar has been built): every command
     * runs from the packaged folder, so the minimized jar and the trimmed runtime still hold what
     * Jinjava, JLine, picocli and Jackson load by name.
     */
    @Test
    void packagesARunnableFolder() throws Exception {
        var built = BuiltJar.find();
        Assumptions.assumeTrue(built.isPresent(), "skipped: specula.jar is not built (run ./specula or mvn package)");
        Path model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        Path out = dir.resolve("specula-dist");
        CliRun r = CliRun.run("package", "--out", out.toString(), "--jar", built.get().toString(), "--no-models");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("packaged " + out + "\n"), r.out());
        assertTrue(Files.isExecutable(out.resolve("runtime/bin/java")));
        assertTrue(Files.isRegularFile(out.resolve("lib/specula.jar")));
        assertFalse(Files.exists(out.resolve("runtime/lib/libawt.so")));
        assertFalse(Files.exists(out.resolve("runtime/bin/keytool")));
        Path jdkJvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        if (NativeSymbols.findOnPath("strip").isPresent() && Files.isRegularFile(jdkJvm)) { // Linux with binutils
            Path packagedJvm = out.resolve("runtime/lib/server/libjvm.so");
            assertTrue(Files.size(packagedJvm) < Files.size(jdkJvm), "libjvm.so symbol table stripped");
            assertTrue(r.err().contains("specula: stripped the symbol tables of the runtime's native libraries ("), r.err());
        }

        ObjectMapper json = new ObjectMapper();
        var system = json.readTree(packaged(out, Map.of("SPECULA_JAVA_OPTS", "-XX:MaxVectorSize=16"), "info", "--system", "--json"));
        assertTrue(system.get("vector_api").asBoolean());
        assertEquals(out.resolve("runtime").toString(), system.get("java_home").asText());
        assertEquals(4, system.get("float_lanes").asInt(), "SPECULA_JAVA_OPTS reaches the packaged launcher's JVM");

        var info = json.readTree(packaged(out, Map.of(), "info", "--json", model.toString()));
        assertEquals(7_342_336L, info.get("totals").get("params").asLong());
        var tokens = json.readTree(packaged(out, Map.of(), "tokenize", "-m", model.toString(), "-p", "def add(a, b):", "--json"));
        assertTrue(tokens.get("ids").size() > 1, tokens.toString());
        var generated = json.readTree(packaged(out, Map.of(), "generate", "-m", model.toString(), "-p", "def add(a, b):",
                "-n", "4", "--json"));
        assertEquals(4, generated.get("ids").size(), generated.toString());
        String answer = packagedWithInput(out, "What is a list?", "chat", "-m", model.toString(), "-n", "4");
        assertFalse(answer.isBlank(), "chat (Jinjava chat template) answers from the packaged folder");
    }

    /** Runs DIR/specula with the given arguments; returns stdout, failing with stderr on a non-zero exit. */
    private String packaged(Path out, Map<String, String> env, String... args) throws Exception {
        return runPackaged(out, env, null, args);
    }

    private String packagedWithInput(Path out, String stdin, String... args) throws Exception {
        return runPackaged(out, Map.of(), stdin, args);
    }

    private String runPackaged(Path out, Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(out.resolve("specula").toString()));
        cmd.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Path input = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin == null ? "" : stdin);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(input.toFile());
        pb.environment().remove("SPECULA_JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", args) + " did not finish in 120 s");
        assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + Files.readString(stderr));
        return Files.readString(stdout);
    }
}
