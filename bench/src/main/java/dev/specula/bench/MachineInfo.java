package dev.specula.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jdk.incubator.vector.FloatVector;

/** What every report states about where it ran: CPU, cores, JVM, vector width, source revision. */
public final class MachineInfo {
    private MachineInfo() {}

    /** The CPU model name from /proc/cpuinfo, or os.arch when that file does not exist. */
    public static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
                }
            } catch (IOException | RuntimeException e) {
                // fall through to the generic description
            }
        }
        return System.getProperty("os.arch");
    }

    /** The git commit of the working directory's checkout (HEAD, resolved through refs), if there is one. */
    public static Optional<String> gitCommit() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (!Files.isDirectory(git)) continue;
            try {
                String head = Files.readString(git.resolve("HEAD")).trim();
                if (!head.startsWith("ref: ")) return Optional.of(head);
                String ref = head.substring(5);
                Path loose = git.resolve(ref);
                if (Files.isRegularFile(loose)) return Optional.of(Files.readString(loose).trim());
                Path packed = git.resolve("packed-refs");
                if (Files.isRegularFile(packed)) {
                    for (String line : Files.readAllLines(packed)) {
                        if (line.endsWith(" " + ref)) return Optional.of(line.substring(0, line.indexOf(' ')));
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The first three fields of /proc/loadavg, when it exists. */
    public static Optional<String> loadAverage() {
        Path loadavg = Path.of("/proc/loadavg");
        try {
            if (!Files.isReadable(loadavg)) return Optional.empty();
            String[] f = Files.readString(loadavg).trim().split("\\s+");
            return f.length >= 3 ? Optional.of(f[0] + " / " + f[1] + " / " + f[2]) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Notes for a report header. */
    public static List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add("CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " logical cores available to the JVM");
        notes.add("JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", vector species "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        loadAverage().ifPresent(l -> notes.add("load average (1/5/15 min) when the report was written: " + l
                + " (above " + Runtime.getRuntime().availableProcessors() + " means other processes competed for the cores: expect noise)"));
        gitCommit().ifPresent(c -> notes.add("source: commit " + c.substring(0, Math.min(12, c.length()))
                + " (plus any uncommitted changes in the working tree)"));
        return notes;
    }
}
