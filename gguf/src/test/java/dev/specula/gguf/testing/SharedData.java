package dev.specula.gguf.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the team's shared data folder ({@code ../shared} beside the repository root). Tests that
 * need it call {@link #require(String)}, which skips the test with a clear message only when the
 * folder is absent (CI always has it); a missing file inside a present folder fails the test.
 */
public final class SharedData {
    private SharedData() {}

    /** The repository root: the nearest ancestor of the working directory holding the parent pom and .git or README. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("gguf"))
                    && Files.isDirectory(p.resolve("engine"))) return p;
        }
        throw new IllegalStateException("cannot find the Specula repository root above " + dir);
    }

    /** {@code ../shared} beside the repository root, or null when absent. */
    public static Path rootOrNull() {
        Path shared = repoRoot().resolveSibling("shared");
        return Files.isDirectory(shared) ? shared : null;
    }

    /** Skips the calling test when ../shared is absent; otherwise returns the folder. */
    public static Path root() {
        Path shared = rootOrNull();
        Assumptions.assumeTrue(shared != null,
                "skipped: ../shared (the team's models and golden data) is not beside the repository root " + repoRoot());
        return shared;
    }

    /** A file or folder under ../shared; skips when ../shared is absent, fails when the file is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) throw new AssertionError("expected " + p + " in ../shared, but it is missing");
        return p;
    }
}
