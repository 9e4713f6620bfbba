package dev.specula.cli;

import dev.specula.engine.kernel.WeightMemory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes {@code java -jar specula.jar ...} work without JVM flags. The Vector API lives in the
 * incubator module {@code jdk.incubator.vector}, which a jar manifest cannot add; when it is missing
 * from the boot layer, Specula starts itself again with the same java binary and the same command
 * line plus {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED} (and
 * {@code -XX:+UseTransparentHugePages} where the kernel offers transparent huge pages: the weights'
 * scales and the KV cache live on the heap, and streaming them through 4 KiB pages costs TLB misses)
 * and the words of {@code SPECULA_JAVA_OPTS}, which come later and so can override them. {@code JAVA_TOOL_OPTIONS} / {@code JDK_JAVA_OPTIONS} reach the
 * child through the inherited environment. This class must not touch Vector API classes.
 */
public final class Relauncher {
    /** System property set on the child so a child that still lacks the module never loops. */
    static final String RELAUNCHED_PROPERTY = "specula.relaunched";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final List<String> REQUIRED_FLAGS = List.of(
            "--add-modules", VECTOR_MODULE, "--enable-native-access=ALL-UNNAMED");
    static final String HUGE_PAGE_FLAG = "-XX:+UseTransparentHugePages";

    private Relauncher() {}

    /** True when the running JVM already has the Vector API module. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Whether to start a child JVM: only when the module is missing and this is not already the child. */
    static boolean shouldRelaunch(boolean modulePresent, String relaunchedProperty) {
        return !modulePresent && !"true".equals(relaunchedProperty);
    }

    /** Splits SPECULA_JAVA_OPTS on whitespace (no quoting rules; null or blank gives nothing). */
    static List<String> splitJavaOpts(String opts) {
        List<String> out = new ArrayList<>();
        if (opts == null) return out;
        for (String w : opts.trim().split("\\s+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    /** Whether the JVM should back its heap with transparent huge pages: the kernel's mode is {@code always} or {@code madvise}. */
    static boolean useHugePages(Optional<String> transparentHugePageMode) {
        return transparentHugePageMode.map(m -> m.equals("always") || m.equals("madvise")).orElse(false);
    }

    /**
     * The child command line: {@code javaBinary}, the required flags, the huge page flag when
     * {@code hugePages}, SPECULA_JAVA_OPTS, the marker property, then the original JVM arguments
     * unchanged (they hold {@code -jar x.jar} or {@code -cp ... main} and the program arguments). When
     * the original arguments are unknown, {@code -cp classPath mainClass programArgs} is used instead.
     */
    static List<String> childCommand(String javaBinary, Optional<String[]> originalJvmArguments, boolean hugePages,
                                     String javaOpts, String classPath, String mainClass, String[] programArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary);
        cmd.addAll(REQUIRED_FLAGS);
        if (hugePages) cmd.add(HUGE_PAGE_FLAG);
        cmd.addAll(splitJavaOpts(javaOpts));
        cmd.add("-D" + RELAUNCHED_PROPERTY + "=true");
        if (originalJvmArguments.isPresent() && originalJvmArguments.get().length > 0) {
            cmd.addAll(List.of(originalJvmArguments.get()));
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(mainClass);
            cmd.addAll(List.of(programArgs));
        }
        return cmd;
    }

    /**
     * Starts the child with inherited stdin/stdout/stderr and returns its exit code. Ctrl-C reaches
     * the child through the terminal's process group; this parent ignores it so that the child (for
     * example {@code chat}) decides what Ctrl-C means.
     */
    static int relaunch(String[] programArgs) throws IOException, InterruptedException {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command().orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = childCommand(java, info.arguments(), useHugePages(WeightMemory.transparentHugePageMode()),
                System.getenv("SPECULA_JAVA_OPTS"),
                System.getProperty("java.class.path"), Main.class.getName(), programArgs);
        ignoreInterrupts();
        Process child = new ProcessBuilder(cmd).inheritIO().start();
        return child.waitFor();
    }

    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGINT on this platform: nothing to ignore
        }
    }
}
