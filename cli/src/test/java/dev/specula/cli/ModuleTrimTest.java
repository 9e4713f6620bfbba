package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTrimTest {
    @TempDir
    Path dir;

    private void file(String path, int size) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[size]);
    }

    /**
     * A fake image: kept prefixes stay whole, every other package keeps its smallest resource (ties broken
     * by name) unless something else of it stays, and module-info, META-INF and other modules are untouched.
     */
    @Test
    void dropsAllButOnePlaceholderPerPackageOutsideTheKeptPrefixes() throws Exception {
        file("java.desktop/module-info.class", 900);
        file("java.desktop/java/beans/Introspector.class", 500);
        file("java.desktop/com/sun/beans/finder/MethodFinder.class", 400);
        file("java.desktop/javax/swing/SwingContainer.class", 50);   // kept: its package needs no placeholder
        file("java.desktop/javax/swing/JFrame.class", 300);
        file("java.desktop/javax/swing/Box.class", 10);
        file("java.desktop/sun/awt/X11/XToolkit.class", 700);
        file("java.desktop/sun/awt/X11/XAtom.class", 20);            // smallest: the placeholder
        file("java.desktop/sun/awt/X11/XBase.class", 20);            // same size, later name: goes
        file("java.desktop/java/awt/Only.class", 99);                // alone in its package: stays
        file("java.desktop/META-INF/services/x.y.Z", 10);
        file("java.xml/org/w3c/dom/Node.class", 100);
        file("java.xml/com/sun/org/apache/xerces/internal/Big.class", 5000);
        file("java.xml/com/sun/org/apache/xerces/internal/Small.class", 5);
        file("java.base/java/lang/Object.class", 100);
        file("java.base/java/lang/Big.class", 1000);

        List<String> patterns = ModuleTrim.exclusions(dir);
        assertEquals(List.of(
                "/java.desktop/javax/swing/Box.class",
                "/java.desktop/javax/swing/JFrame.class",
                "/java.desktop/sun/awt/X11/XBase.class",
                "/java.desktop/sun/awt/X11/XToolkit.class",
                "/java.xml/com/sun/org/apache/xerces/internal/Big.class"), patterns);
    }

    @Test
    void modulesThatAreNotThereGiveNoPatterns() throws Exception {
        file("java.base/java/lang/Object.class", 100);
        assertEquals(List.of(), ModuleTrim.exclusions(dir));
    }

    /**
     * The running JDK's own image, which jlink links: Swing and Xerces go, java.beans and com.sun.beans
     * stay whole, and no package of java.desktop or java.xml is left without a resource (jlink's check).
     */
    @Test
    void theRunningImageKeepsJavaBeansAndOneResourcePerPackage() throws Exception {
        Path modules = ModuleTrim.runningImage();
        Set<String> excluded = new HashSet<>(ModuleTrim.exclusions(modules));
        assertTrue(excluded.contains("/java.desktop/javax/swing/JFrame.class"));
        assertTrue(excluded.contains("/java.desktop/java/awt/Component.class"));
        assertTrue(excluded.contains("/java.xml/com/sun/org/apache/xerces/internal/jaxp/DocumentBuilderFactoryImpl.class"));
        for (String module : List.of("java.desktop", "java.xml")) {
            Map<String, int[]> perPackage = new TreeMap<>(); // package -> {resources, excluded}
            Path root = modules.resolve(module);
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    String rel = root.relativize(p).toString();
                    if (!rel.contains("/") || rel.startsWith("META-INF/")) continue;
                    String pattern = "/" + module + "/" + rel;
                    boolean gone = excluded.contains(pattern);
                    boolean mustStay = rel.startsWith("java/beans/") || rel.startsWith("com/sun/beans/")
                            || rel.equals("javax/swing/SwingContainer.class") || rel.startsWith("javax/xml/")
                            || rel.startsWith("org/w3c/") || rel.startsWith("org/xml/");
                    if (mustStay) assertFalse(gone, pattern);
                    int[] n = perPackage.computeIfAbsent(rel.substring(0, rel.lastIndexOf('/')), k -> new int[2]);
                    n[0]++;
                    if (gone) n[1]++;
                }
            }
            perPackage.forEach((pkg, n) -> assertTrue(n[1] < n[0], module + "/" + pkg + " keeps a resource"));
        }
        assertTrue(excluded.stream().allMatch(p -> p.startsWith("/java.desktop/") || p.startsWith("/java.xml/")));
    }
}
