package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelauncherTest {
    @Test
    void relaunchOnlyWhenTheModuleIsMissingAndNotYetRelaunched() {
        assertTrue(Relauncher.shouldRelaunch(false, null));
        assertFalse(Relauncher.shouldRelaunch(true, null));
        assertFalse(Relauncher.shouldRelaunch(false, "true"));
        assertTrue(Relauncher.vectorModulePresent(), "tests run with --add-modules jdk.incubator.vector");
    }

    @Test
    void javaOptsAreSplitOnWhitespace() {
        assertEquals(List.of(), Relauncher.splitJavaOpts(null));
        assertEquals(List.of(), Relauncher.splitJavaOpts("   "));
        assertEquals(List.of("-Xmx2g", "-XX:MaxVectorSize=16"), Relauncher.splitJavaOpts(" -Xmx2g\t -XX:MaxVectorSize=16 \n"));
    }

    @Test
    void childKeepsTheOriginalCommandLineAfterTheAddedFlags() {
        List<String> cmd = Relauncher.childCommand("/jdk/bin/java",
                Optional.of(new String[] {"-Xss8m", "-jar", "specula.jar", "info", "--json"}), false, "-Xmx1g",
                "specula.jar", "dev.specula.cli.Main", new String[] {"info", "--json"});
        assertEquals(List.of("/jdk/bin/java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g", "-Dspecula.relaunched=true", "-Xss8m", "-jar", "specula.jar", "info", "--json"), cmd);
    }

    @Test
    void withoutTheOriginalArgumentsTheClassPathAndMainClassAreUsed() {
        List<String> cmd = Relauncher.childCommand("java", Optional.empty(), true, null, "a.jar:b.jar",
                "dev.specula.cli.Main", new String[] {"chat", "-m", "x y.gguf"});
        assertEquals(List.of("java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseTransparentHugePages", "-Dspecula.relaunched=true", "-cp", "a.jar:b.jar", "dev.specula.cli.Main", "chat", "-m", "x y.gguf"), cmd);
    }

    @Test
    void hugePagesOnlyWhereTheKernelOffersThem() {
        assertTrue(Relauncher.useHugePages(Optional.of("always")));
        assertTrue(Relauncher.useHugePages(Optional.of("madvise")));
        assertFalse(Relauncher.useHugePages(Optional.of("never")));
        assertFalse(Relauncher.useHugePages(Optional.empty())); // not Linux, or no THP support
    }

    @Test
    void javaOptsComeAfterTheHugePageFlagSoTheyCanTurnItOff() {
        List<String> cmd = Relauncher.childCommand("java", Optional.empty(), true, "-XX:-UseTransparentHugePages", "a.jar",
                "dev.specula.cli.Main", new String[] {"info"});
        assertTrue(cmd.indexOf("-XX:+UseTransparentHugePages") < cmd.indexOf("-XX:-UseTransparentHugePages"), cmd.toString());
    }
}
