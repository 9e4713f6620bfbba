package dev.specula.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The classes of linked JDK modules that Specula never loads, for jlink's {@code --exclude-resources}.
 *
 * <p>java.desktop is linked only for {@code java.beans}: Jinjava's expression language introspects
 * template objects with {@code java.beans.Introspector}, which needs {@code com.sun.beans.*} and looks
 * up the {@code javax.swing.SwingContainer} annotation; Jackson touches {@code ConstructorProperties}
 * and {@code Transient}. java.xml is linked only because java.desktop requires it; nothing Specula runs
 * parses XML (jdeps sees it in jsoup's XPath helper and Jackson's DOM serializers, which no template or
 * JSON file of ours reaches). Swing, AWT, Java 2D, fonts, imaging, printing, sound and the Xerces/Xalan
 * implementation behind JAXP are 12.7 MB of the 26.7 MB compressed module image (Temurin 25); {@link #KEPT} lists what
 * stays whole. The XML API packages ({@code javax.xml}, {@code org.w3c}, {@code org.xml}, 0.2 MB) stay
 * so that code merely referring to their types still links.
 *
 * <p>jlink refuses to link a module when a package its descriptor declares has no resources left
 * ("Packages that are exported or open in java.desktop are not present", "descriptor indicates the set
 * of packages"), and the descriptor cannot be edited, so a package that would be left empty keeps one
 * resource, its smallest, as a placeholder. Loading any other class of the trimmed packages fails with
 * {@code NoClassDefFoundError}; which classes load was checked with {@code -Xlog:class+load} on info,
 * tokenize, generate (every strategy), chat with real chat templates (Qwen3, Llama 3, ChatML) and the
 * bench commands (JMH included).
 */
final class ModuleTrim {
    private ModuleTrim() {}

    /** Resource-path prefixes of a module that stay whole; every other package is cut to one placeholder. */
    record Kept(String module, List<String> prefixes) {
        boolean keeps(String resource) {
            for (String p : prefixes) if (resource.startsWith(p)) return true;
            return false;
        }
    }

    static final List<Kept> KEPT = List.of(
            new Kept("java.desktop", List.of("java/beans/", "com/sun/beans/", "javax/swing/SwingContainer.class")),
            new Kept("java.xml", List.of("javax/xml/", "org/w3c/", "org/xml/")));

    /** The {@code /modules} folder of the running JDK's image, whose content jlink links when no module path is given. */
    static Path runningImage() {
        return FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules");
    }

    /**
     * jlink {@code --exclude-resources} patterns, one resource each ({@code /module/path/Name.class}), for
     * the modules of {@link #KEPT}, read from an image's {@code modules} folder (one sub-folder per
     * module). Patterns of a module that is not linked match nothing. Sorted, so the same image gives the
     * same list.
     */
    static List<String> exclusions(Path modules) throws IOException {
        List<String> patterns = new ArrayList<>();
        for (Kept kept : KEPT) {
            Path root = modules.resolve(kept.module());
            if (!Files.isDirectory(root)) continue;
            // package folder -> its resources that may go (relative paths with '/'); packages with a resource that stays
            Map<String, List<Resource>> packages = new TreeMap<>();
            Set<String> occupied = new HashSet<>();
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    String rel = relative(root, p);
                    int slash = rel.lastIndexOf('/');
                    if (slash < 0 || rel.startsWith("META-INF/")) continue; // module-info.class, META-INF: no package
                    String pkg = rel.substring(0, slash);
                    if (kept.keeps(rel) || hasGlobSyntax(rel)) occupied.add(pkg); // a name a glob would misread stays too
                    else packages.computeIfAbsent(pkg, k -> new ArrayList<>()).add(new Resource(rel, Files.size(p)));
                }
            }
            for (Map.Entry<String, List<Resource>> e : packages.entrySet()) {
                List<Resource> resources = e.getValue();
                resources.sort(Comparator.comparingLong(Resource::size).thenComparing(Resource::path));
                // in a package where nothing else stays, the smallest resource stays as its placeholder
                int first = occupied.contains(e.getKey()) ? 0 : 1;
                for (Resource r : resources.subList(first, resources.size())) patterns.add("/" + kept.module() + "/" + r.path());
            }
        }
        patterns.sort(null);
        return patterns;
    }

    private record Resource(String path, long size) {}

    private static String relative(Path root, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    private static boolean hasGlobSyntax(String path) {
        for (int i = 0; i < path.length(); i++) {
            if ("*?[]{}\\".indexOf(path.charAt(i)) >= 0) return true;
        }
        return false;
    }
}
