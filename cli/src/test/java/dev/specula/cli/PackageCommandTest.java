package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.GgufWriter;
import dev.specula.gguf.TensorInfo;
import dev.specula.gguf.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
        assertTrue(script.contains("exec \"$DIR/runtime/bin/java\" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $THP \\\n"
                + "  ${SPECULA_JAVA_OPTS:-} -jar \"$DIR/lib/specula.jar\" \"$@\"\n"), script);
        assertTrue(script.contains("*\"[always]\"*|*\"[madvise]\"*) THP=\"-XX:+UseTransparentHugePages\" ;;"), script);
    }

    /**
     * The real thing (jdeps + jlink + strip, ~30 s; only when the fat jar has been built): every command
     * runs from the packaged folder and gives exactly what it gives on the full JDK, so the minimized jar
     * and the trimmed runtime still hold what Jinjava (a real chat template), JLine, picocli and Jackson
     * load; the folder without models is below issue #7's 60 MB, and the command prints that size.
     */
    @Test
    void packagesARunnableFolder() throws Exception {
        var built = BuiltJar.find();
        Assumptions.assumeTrue(built.isPresent(), "skipped: specula.jar is not built (run ./specula or mvn package)");
        Path model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        Path templated = withChatTemplate(model, SharedData.require("models/qwen3-tokenizer/tokenizer_config.json"));
        Path out = dir.resolve("specula-dist");
        CliRun r = CliRun.run("package", "--out", out.toString(), "--jar", built.get().toString(), "--no-models");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("packaged " + out + "\n"), r.out());
        assertTrue(Files.isExecutable(out.resolve("runtime/bin/java")));
        assertTrue(Files.isRegularFile(out.resolve("lib/specula.jar")));
        assertFalse(Files.exists(out.resolve("runtime/lib/libawt.so")));
        assertFalse(Files.exists(out.resolve("runtime/lib/libjawt.so")));
        assertFalse(Files.exists(out.resolve("runtime/bin/keytool")));
        assertFalse(Files.exists(out.resolve("runtime/lib/jexec")));
        assertTrue(Files.isRegularFile(out.resolve("runtime/lib/jspawnhelper")), "ProcessBuilder's helper stays");
        Path jdkJvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        if (NativeSymbols.findOnPath("strip").isPresent() && Files.isRegularFile(jdkJvm)) { // Linux with binutils
            Path packagedJvm = out.resolve("runtime/lib/server/libjvm.so");
            assertTrue(Files.size(packagedJvm) < Files.size(jdkJvm), "libjvm.so symbol table stripped");
            assertTrue(r.err().contains("specula: stripped the symbol tables of the runtime's native libraries ("), r.err());
        }

        // the printed size is the folder's (regular files; jlink's legal/ symlinks count as nothing), below 60 MB
        Matcher size = Pattern.compile(" = ([0-9,]+) bytes without models\\)\n").matcher(r.out());
        assertTrue(size.find(), r.out());
        long printed = Long.parseLong(size.group(1).replace(",", ""));
        long onDisk;
        try (Stream<Path> s = Files.walk(out)) {
            onDisk = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(onDisk, printed);
        assertTrue(printed < 60_000_000L, "issue #7: the folder without models is " + printed + " bytes, not below 60 MB");

        // java.desktop and java.xml keep java.beans and the XML API only (ModuleTrim)
        try (FileSystem image = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", out.resolve("runtime").toString()))) {
            assertTrue(Files.isRegularFile(image.getPath("/modules/java.desktop/java/beans/Introspector.class")));
            assertTrue(Files.isRegularFile(image.getPath("/modules/java.desktop/com/sun/beans/introspect/ClassInfo.class")));
            assertTrue(Files.isRegularFile(image.getPath("/modules/java.xml/org/w3c/dom/Node.class")));
            assertFalse(Files.exists(image.getPath("/modules/java.desktop/javax/swing/JFrame.class")));
            assertFalse(Files.exists(image.getPath("/modules/java.xml/com/sun/org/apache/xerces/internal/jaxp/DocumentBuilderFactoryImpl.class")));
        }

        ObjectMapper json = new ObjectMapper();
        var system = json.readTree(packaged(out, Map.of("SPECULA_JAVA_OPTS", "-XX:MaxVectorSize=16"), "info", "--system", "--json"));
        assertTrue(system.get("vector_api").asBoolean());
        assertEquals(out.resolve("runtime").toString(), system.get("java_home").asText());
        assertEquals(4, system.get("float_lanes").asInt(), "SPECULA_JAVA_OPTS reaches the packaged launcher's JVM");

        var info = json.readTree(packaged(out, Map.of(), "info", "--json", model.toString()));
        assertEquals(7_342_336L, info.get("totals").get("params").asLong());
        String[] tokenize = {"tokenize", "-m", model.toString(), "-p", "def add(a, b):", "--json"};
        assertEquals(inProcess(tokenize), packaged(out, Map.of(), tokenize));
        String[] generate = {"generate", "-m", model.toString(), "-p", "def add(a, b):", "-n", "8", "--json"};
        var generated = json.readTree(packaged(out, Map.of(), generate));
        assertEquals(8, generated.get("ids").size(), generated.toString());
        assertEquals(json.readTree(inProcess(generate)).get("ids"), generated.get("ids"));

        // chat renders with Jinjava: ChatML (the bundled models have no template) and Qwen3's real template,
        // whose loop and attribute lookups go through java.beans.Introspector
        for (Path m : List.of(model, templated)) {
            String answer = packagedWithInput(out, "What is a list?", "chat", "-m", m.toString(), "-n", "6", "--system", "Be terse.");
            assertFalse(answer.isBlank(), "chat answers from the packaged folder");
            assertEquals(chatInProcess(m, "What is a list?", "-n", "6", "--system", "Be terse."), answer);
        }
    }

    /** A copy of the model with a tokenizer.chat_template taken from a Hugging Face tokenizer_config.json. */
    private Path withChatTemplate(Path model, Path tokenizerConfig) throws Exception {
        String template = new ObjectMapper().readTree(tokenizerConfig.toFile()).get("chat_template").asText();
        Path copy = dir.resolve("templated.gguf");
        try (GgufFile f = GgufFile.open(model)) {
            GgufWriter w = new GgufWriter().putAll(f.metadata()).putString("tokenizer.chat_template", template);
            for (TensorInfo t : f.tensors()) w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
            w.write(copy);
        }
        return copy;
    }

    private static String inProcess(String... args) {
        CliRun r = CliRun.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
    }

    private static String chatInProcess(Path model, String question, String... args) {
        ChatCommand chat = new ChatCommand();
        chat.interactive = false;
        chat.stdin = new ByteArrayInputStream(question.getBytes(StandardCharsets.UTF_8));
        List<String> all = new ArrayList<>(List.of("-m", model.toString()));
        all.addAll(List.of(args));
        CliRun r = CliRun.run(new CommandLine(chat), all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
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
