package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ErrorHandlingTest {
    @TempDir
    Path dir;

    @Test
    void missingFileIsOneLineAndExitCode2() {
        Path missing = dir.resolve("nope.gguf");
        CliRun r = CliRun.run("info", missing.toString());
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertEquals("specula: file not found: " + missing + " — check the path\n", r.err());
    }

    @Test
    void plainCommandLineGetsTheSameHandling() {
        Path missing = dir.resolve("nope.gguf");
        CliRun r = CliRun.run(new CommandLine(new Main()), "info", missing.toString());
        assertEquals(2, r.exitCode());
        assertEquals("specula: file not found: " + missing + " — check the path\n", r.err());
    }

    @Test
    void notAGgufFileSaysSo() throws IOException {
        Path text = dir.resolve("notes.gguf");
        Files.writeString(text, "this is not a model, just some text that is long enough to be read");
        CliRun r = CliRun.run("info", text.toString());
        assertEquals(2, r.exitCode());
        String line = r.err();
        assertTrue(line.startsWith("specula: not a valid GGUF file: " + text), line);
        assertTrue(line.endsWith(" — pass a .gguf model file (llama.cpp format)\n"), line);
        assertEquals(1, line.lines().count(), line);
    }

    /** A minimal GGUF v3 file: general.architecture = llama and one 32-element tensor "w" of GGML type {@code typeId}. */
    private static byte[] ggufWithTensorType(int typeId) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(3).putLong(1).putLong(1);
        putString(b, "general.architecture");
        b.putInt(8);
        putString(b, "llama");
        putString(b, "w");
        b.putInt(1).putLong(32).putInt(typeId).putLong(0);
        return java.util.Arrays.copyOf(b.array(), 256);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(bytes.length).put(bytes);
    }

    @Test
    void unsupportedTensorTypeNamesTypeTensorAndWhatToDo() throws IOException {
        Path file = dir.resolve("q8_1.gguf");
        Files.write(file, ggufWithTensorType(9)); // 9 = Q8_1, a GGML type Specula does not compute with
        CliRun r = CliRun.run("info", file.toString());
        assertEquals(2, r.exitCode());
        assertEquals("specula: " + file + ": unsupported tensor type Q8_1 in tensor w (at byte offset 90) — convert the model"
                + " to a supported type (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K..Q6_K, IQ4_NL, IQ4_XS)"
                + " with llama-quantize\n", r.err());
    }

    @Test
    void directoryIsNotAModel() {
        CliRun r = CliRun.run("info", dir.toString());
        assertEquals(2, r.exitCode());
        assertEquals("specula: not a valid GGUF file: " + dir + ": is a directory, not a GGUF file"
                + " — pass a .gguf model file (llama.cpp format)\n", r.err());
    }

    @Test
    void benchCommandErrorsAreOneLineToo() {
        // the bench module's commands are not CliCommands: the command line's handler reports their failures
        Path model = dev.specula.gguf.testing.SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        CliRun r = CliRun.run("bench", "decode", "-m", model.toString(), "--k=6");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("specula: --k must be increasing and start at 1, got [6]\n"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Path missing = dir.resolve("nope.gguf");
        CliRun r = CliRun.run("info", "--verbose", missing.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("specula: file not found: " + missing + " — check the path\n"), r.err());
        assertTrue(r.err().contains("java.nio.file.NoSuchFileException"), r.err());
        assertTrue(r.err().contains("\tat dev.specula.gguf.GgufFile.open"), r.err());
    }

    @Test
    void missingVectorModuleAndOutOfMemoryAreExplained() {
        java.io.StringWriter sw = new java.io.StringWriter();
        int code = ErrorReport.report(new NoClassDefFoundError("jdk/incubator/vector/FloatVector"), new java.io.PrintWriter(sw), false);
        assertEquals(2, code);
        assertEquals("specula: the Vector API module is not loaded — run java with --add-modules jdk.incubator.vector"
                + " (java -jar specula.jar and ./specula add it for you)\n", sw.toString());
        assertTrue(ErrorReport.message(new OutOfMemoryError("Java heap space")).startsWith("out of memory (Java heap limit "));
        assertTrue(ErrorReport.message(new OutOfMemoryError("Java heap space"))
                .endsWith(" MiB) — use a smaller context with -c, or give Java more memory, e.g. SPECULA_JAVA_OPTS=-Xmx8g"));
    }

    @Test
    void systemWithAModelIsRejected() {
        CliRun r = CliRun.run("info", "--system", "x.gguf");
        assertEquals(2, r.exitCode());
        assertEquals("specula: --system takes no model file — run 'specula info --system' alone\n", r.err());
    }

    @Test
    void unknownOptionPointsToHelp() {
        CliRun r = CliRun.run("info", "--bogus");
        assertEquals(2, r.exitCode());
        assertEquals("specula: Unknown option: '--bogus' — see 'specula info --help'\n", r.err());
    }

    @Test
    void helpAndVersionOnEveryCommand() {
        for (String cmd : Main.newCommandLine().getSubcommands().keySet()) {
            if (cmd.equals("help")) continue;
            CliRun help = CliRun.run(cmd, "--help");
            assertEquals(0, help.exitCode(), cmd);
            assertTrue(help.out().startsWith("Usage: specula " + cmd), cmd + ": " + help.out());
            CliRun version = CliRun.run(cmd, "--version");
            assertEquals(0, version.exitCode(), cmd);
            assertTrue(version.out().startsWith("Specula " + VersionProvider.version() + "\nJava "), version.out());
        }
        assertTrue(VersionProvider.version().matches("\\d+\\.\\d+\\.\\d+.*"), VersionProvider.version());
    }
}
