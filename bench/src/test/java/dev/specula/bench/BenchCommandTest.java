package dev.specula.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    @Test
    void everySubcommandPrintsItsHelpWithoutPicocliWarnings() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (String sub : List.of("make-synthetic", "kernels", "bandwidth", "decode", "strategies")) {
                StringWriter out = new StringWriter();
                CommandLine cl = new CommandLine(new BenchCommand());
                cl.setOut(new PrintWriter(out));
                assertEquals(0, cl.execute(sub, "--help"), sub);
                assertTrue(out.toString().startsWith("Usage: bench " + sub), out.toString());
            }
        } finally {
            System.setErr(originalErr);
        }
        String warnings = err.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }

    @Test
    void withoutASubcommandItListsThem() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String sub : List.of("make-synthetic", "kernels", "bandwidth", "decode", "strategies")) assertTrue(out.toString().contains(sub), sub);
    }
}
