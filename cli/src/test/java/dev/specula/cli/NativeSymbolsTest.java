package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeSymbolsTest {
    @TempDir
    Path dir;

    @Test
    void findsCommandsOnThePath() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX system");
        assertTrue(NativeSymbols.findOnPath("sh").isPresent());
        assertTrue(NativeSymbols.findOnPath("no-such-command-for-specula").isEmpty());
    }

    /** Strips a copy of the JDK's libjava.so and leaves other files alone; the saving it reports is the real one. */
    @Test
    void stripsSharedLibrariesOnly() throws Exception {
        Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        Assumptions.assumeTrue(Files.isRegularFile(libjava) && NativeSymbols.findOnPath("strip").isPresent(),
                "needs Linux with a strip command");
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path copy = Files.copy(libjava, lib.resolve("libjava.so"));
        Path other = Files.writeString(lib.resolve("notes.txt"), "not a library");
        long before = Files.size(copy);
        StringWriter log = new StringWriter();
        long saved = NativeSymbols.strip(dir, new PrintWriter(log, true));
        assertEquals(before - Files.size(copy), saved);
        assertTrue(saved >= 0);
        assertArrayEquals("not a library".getBytes(), Files.readAllBytes(other));
        assertEquals("", log.toString());
        byte[] elf = new byte[4];
        System.arraycopy(Files.readAllBytes(copy), 0, elf, 0, 4);
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, elf, "still an ELF file");
    }
}
