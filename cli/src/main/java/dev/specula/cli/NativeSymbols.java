package dev.specula.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Shrinks a jlink'd runtime by removing the symbol tables of its native libraries with the system's
 * {@code strip --strip-unneeded} (libjvm.so alone carries ~5 MB of them). The dynamic symbols that
 * the launcher and JNI look up stay. jlink's own {@code --strip-native-debug-symbols} removes only
 * DWARF sections, which the JDK builds ship separately, so it saves nothing here. Without a
 * {@code strip} command on the PATH the runtime is left as it is (only bigger); the cost of stripping
 * is that a JVM crash log shows addresses instead of HotSpot function names.
 */
final class NativeSymbols {
    private NativeSymbols() {}

    /** Strips every {@code .so} under {@code runtime}; returns the number of bytes saved (0 when no strip tool). */
    static long strip(Path runtime, PrintWriter log) throws IOException, InterruptedException {
        Optional<Path> tool = findOnPath("strip");
        if (tool.isEmpty()) {
            log.println("specula: no 'strip' command on the PATH; native libraries keep their symbol tables");
            log.flush();
            return 0;
        }
        List<Path> libraries = new ArrayList<>();
        try (Stream<Path> s = Files.walk(runtime)) {
            s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".so")).forEach(libraries::add);
        }
        long saved = 0;
        for (Path lib : libraries) {
            long before = Files.size(lib);
            Process p = new ProcessBuilder(tool.get().toString(), "--strip-unneeded", lib.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CliError("strip did not finish within 60 s on " + lib);
            }
            if (p.exitValue() != 0) throw new CliError("strip failed (exit " + p.exitValue() + ") on " + lib);
            saved += before - Files.size(lib);
        }
        return saved;
    }

    static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
