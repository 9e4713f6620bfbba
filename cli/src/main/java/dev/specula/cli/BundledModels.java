package dev.specula.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The models shipped in the repository's {@code models/} folder: the default target
 * ({@value #TARGET}) and the default draft ({@value #DRAFT}). The folder is found through
 * {@code SPECULA_MODELS}, else next to (or a few folders above) the jar or classes, else above the
 * working directory, so it works from the source tree, the fat jar and a {@code specula package}.
 */
public final class BundledModels {
    public static final String TARGET = "pycode-88m-q4_k_m.gguf";
    public static final String DRAFT = "pycode-7m-q8_0.gguf";
    static final String ENV = "SPECULA_MODELS";

    private BundledModels() {}

    /** The folder holding the bundled target model, if any. */
    public static Optional<Path> directory() {
        for (Path candidate : candidates()) {
            if (Files.isRegularFile(candidate.resolve(TARGET))) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static List<Path> candidates() {
        List<Path> dirs = new ArrayList<>();
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) dirs.add(Path.of(env));
        codeLocation().ifPresent(loc -> addAncestors(dirs, loc, 5));
        addAncestors(dirs, Path.of("").toAbsolutePath(), 5);
        return dirs;
    }

    private static void addAncestors(List<Path> dirs, Path start, int levels) {
        Path p = start;
        for (int i = 0; i < levels && p != null; i++, p = p.getParent()) dirs.add(p.resolve("models"));
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = BundledModels.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The bundled file with this name; a clear error when the models folder cannot be found. */
    public static Path require(String fileName) {
        Path dir = directory().orElseThrow(() -> new CliError(
                "no model given and the bundled models folder (models/" + TARGET + ") was not found"
                        + " — pass a model with -m FILE.gguf or set " + ENV + " to the folder"));
        Path p = dir.resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new CliError("bundled model " + p + " is missing — pass a model with -m FILE.gguf");
        }
        return p;
    }

    /** {@code given}, or the bundled target with a note on stderr when {@code given} is null. */
    public static Path targetOr(Path given, PrintWriter err) {
        if (given != null) return given;
        Path p = require(TARGET);
        err.println("specula: no model given, using the bundled model " + p);
        err.flush();
        return p;
    }
}
