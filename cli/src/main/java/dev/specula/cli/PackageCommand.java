package dev.specula.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code specula package --out DIR}: a folder that runs without an installed JDK: a jlink'd runtime
 * holding only the modules the jar uses (found with jdeps) plus the Vector API, the fat jar, the
 * bundled models and a launcher script {@code DIR/specula}. To keep it small the runtime has no debug
 * attributes, headers, man pages, AWT/font/sound native libraries or keytool, the parts of java.desktop
 * and java.xml that Specula never loads are left out ({@link ModuleTrim}), its modules are compressed,
 * and its native libraries lose their symbol tables when a {@code strip} command exists
 * ({@link NativeSymbols}); the jar itself is minimized at build time (cli/pom.xml). The command prints
 * the folder's size without the models in bytes (issue #7 asks for less than 60 MB).
 */
@Command(name = "package", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Build a self-contained folder: a minimal Java runtime (jlink), the jar, the bundled models, a launcher.")
public final class PackageCommand extends CliCommand {
    /** Modules the jar needs beyond what jdeps sees statically: the Vector API is added on the command line. */
    static final List<String> ALWAYS = List.of("jdk.incubator.vector", "jdk.unsupported");
    /**
     * Modules jdeps reports only because of code Specula never runs: javassist's HotSwapper (jdk.jdi,
     * jdk.attach, java.instrument) and compile-time annotations (java.compiler).
     */
    static final List<String> NEVER_USED = List.of("jdk.jdi", "jdk.attach", "java.instrument", "java.compiler");
    /**
     * java.desktop is needed only for java.beans (Jinjava's expression language); its native imaging,
     * font, sound and AWT-native-interface libraries and its printing font tables are never loaded, so
     * they stay out of the runtime.
     */
    static final String DESKTOP_NATIVE_LIBS = String.join(",", "**/libawt.so", "**/libawt_headless.so", "**/libawt_xawt.so",
            "**/libfontmanager.so", "**/libjavajpeg.so", "**/liblcms.so", "**/libmlib_image.so", "**/libsplashscreen.so",
            "**/libjsound.so", "**/libfreetype.so", "**/libjawt.so", "**/lib/psfont*");

    /**
     * Runtime files Specula never uses: the keytool command, the TLS public-suffix list and jexec (which
     * runs jar files as programs through binfmt_misc). jspawnhelper (ProcessBuilder: JMH forks, the
     * relauncher), tzdb.dat (java.time zones) and classlist (what {@code java -Xshare:dump} archives) stay.
     */
    static final String UNUSED_FILES = String.join(",", "**/bin/keytool", "**/lib/security/public_suffix_list.dat", "**/lib/jexec");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist or be empty).")
    Path outDir;

    @Option(names = "--jar", paramLabel = "FILE", description = "The fat jar to package (default: the running one, or cli/target/specula.jar).")
    Path jar;

    @Option(names = "--no-models", description = "Leave the bundled models out.")
    boolean noModels;

    @Override
    protected int run() throws Exception {
        Path source = jar != null ? jar : locateJar();
        if (!Files.isRegularFile(source)) throw new CliError("jar not found: " + source + " — build it with ./specula or mvn package");
        if (Files.exists(outDir) && (!Files.isDirectory(outDir) || !isEmpty(outDir))) {
            throw new CliError(outDir + " already exists and is not an empty folder — choose a new --out folder");
        }
        ToolProvider jdeps = tool("jdeps");
        ToolProvider jlink = tool("jlink");
        Files.createDirectories(outDir);

        err().println("specula: finding the modules the jar uses (jdeps)...");
        err().flush();
        TreeSet<String> modules = new TreeSet<>(ALWAYS);
        String deps = runTool(jdeps, "--print-module-deps", "--ignore-missing-deps", "--multi-release",
                String.valueOf(Runtime.version().feature()), source.toString());
        for (String m : deps.strip().split(",")) if (!m.isBlank()) modules.add(m.strip());
        modules.removeAll(NEVER_USED);

        err().println("specula: linking a runtime with " + String.join(",", modules) + " (jlink)...");
        err().flush();
        Path runtime = outDir.resolve("runtime");
        // the unused classes of java.desktop and java.xml, one pattern per line in a file jlink reads (@FILE)
        Path exclusions = Files.createTempFile("specula-jlink-exclude", ".txt");
        try {
            Files.write(exclusions, ModuleTrim.exclusions(ModuleTrim.runningImage()), StandardCharsets.UTF_8);
            runTool(jlink, "--add-modules", String.join(",", modules), "--strip-debug", "--no-header-files",
                    "--no-man-pages", "--compress=zip-9", "--exclude-files=" + DESKTOP_NATIVE_LIBS + "," + UNUSED_FILES,
                    "--exclude-resources=@" + exclusions, "--output", runtime.toString());
        } finally {
            Files.deleteIfExists(exclusions);
        }
        long stripped = NativeSymbols.strip(runtime, err());
        if (stripped > 0) {
            err().println("specula: stripped the symbol tables of the runtime's native libraries (" + Format.bytes(stripped) + " saved)");
            err().flush();
        }

        Path lib = Files.createDirectories(outDir.resolve("lib"));
        Files.copy(source, lib.resolve("specula.jar"), StandardCopyOption.REPLACE_EXISTING);
        long modelBytes = 0;
        if (!noModels) {
            Optional<Path> models = BundledModels.directory();
            if (models.isEmpty()) throw new CliError("bundled models not found — pass --no-models or set SPECULA_MODELS");
            Path dst = Files.createDirectories(outDir.resolve("models"));
            for (String name : List.of(BundledModels.TARGET, BundledModels.DRAFT, "README.md")) {
                Path f = models.get().resolve(name);
                if (Files.isRegularFile(f)) {
                    Files.copy(f, dst.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    modelBytes += Files.size(f);
                }
            }
        }
        Path launcher = outDir.resolve("specula");
        Files.writeString(launcher, launcherScript(), StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the script is still runnable with 'bash specula'
        }
        long runtimeBytes = folderSize(runtime);
        long jarBytes = Files.size(lib.resolve("specula.jar"));
        long withoutModels = folderSize(outDir) - modelBytes; // runtime, jar and launcher
        out().printf("packaged %s%n  runtime  %s (%s)%n  jar      %s%n  models   %s%n  total    %s (%s = %s bytes without models)%nrun it with %s%n",
                outDir, Format.bytes(runtimeBytes), String.join(",", modules), Format.bytes(jarBytes),
                Format.bytes(modelBytes), Format.bytes(withoutModels + modelBytes), Format.bytes(withoutModels),
                Format.thousands(withoutModels), launcher);
        return 0;
    }

    static String launcherScript() {
        return """
                #!/usr/bin/env bash
                # Specula launcher of a packaged folder: runs lib/specula.jar on the bundled runtime.
                # Extra JVM flags: SPECULA_JAVA_OPTS (split on whitespace).
                DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
                # heap on transparent huge pages where the kernel offers them (scales and KV cache stream faster)
                THP=""
                case "$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)" in
                  *"[always]"*|*"[madvise]"*) THP="-XX:+UseTransparentHugePages" ;;
                esac
                # shellcheck disable=SC2086
                exec "$DIR/runtime/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $THP \\
                  ${SPECULA_JAVA_OPTS:-} -jar "$DIR/lib/specula.jar" "$@"
                """;
    }

    /** The jar this code runs from, else cli/target/specula.jar above the working directory. */
    static Path locateJar() {
        try {
            Path self = Path.of(PackageCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) return self;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the build folder
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("cli/target/specula.jar");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return Path.of("cli/target/specula.jar");
    }

    private static ToolProvider tool(String name) {
        return ToolProvider.findFirst(name).orElseThrow(() -> new CliError(
                "the " + name + " tool is missing from this Java runtime (" + System.getProperty("java.home")
                        + ") — run specula package with a full JDK 25"));
    }

    private static String runTool(ToolProvider tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = tool.run(o, e, args);
        }
        if (rc != 0) {
            String msg = (err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)).strip();
            throw new CliError(tool.name() + " failed (exit " + rc + "): " + msg.replace('\n', ' '));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Bytes of the regular files under dir; symbolic links (jlink links legal/ notices to java.base's) count as nothing. */
    static long folderSize(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(files::add);
        }
        long n = 0;
        for (Path f : files) n += Files.size(f);
        return n;
    }
}
