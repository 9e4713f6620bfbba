package dev.specula.cli;

import dev.specula.gguf.testing.SharedData;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fat jar of this build, for tests that start it as a separate process: {@code specula.jar} in the
 * build folder these tests were compiled into (mvn package), else {@code cli/target/specula.jar}
 * (what ./specula builds). Empty when neither exists.
 */
final class BuiltJar {
    private BuiltJar() {}

    static Optional<Path> find() {
        try {
            Path testClasses = Path.of(BuiltJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path own = testClasses.getParent().resolve("specula.jar");
            if (Files.isRegularFile(own)) return Optional.of(own);
        } catch (URISyntaxException | RuntimeException e) {
            // fall back to the default build folder
        }
        Path standard = SharedData.repoRoot().resolve("cli/target/specula.jar");
        return Files.isRegularFile(standard) ? Optional.of(standard) : Optional.empty();
    }
}
