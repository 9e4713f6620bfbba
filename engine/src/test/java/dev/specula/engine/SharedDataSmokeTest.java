package dev.specula.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.testing.SharedData;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class SharedDataSmokeTest {
    @Test
    void sharedModelsAreVisibleFromEngineTests() {
        assertTrue(Files.isRegularFile(SharedData.require("models/pycode/pycode-7m-q8_0.gguf")));
    }
}
