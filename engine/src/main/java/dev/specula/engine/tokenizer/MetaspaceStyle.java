package dev.specula.engine.tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Recognises the SentencePiece-style ("Metaspace") tokenizer.json layout: spaces become U+2581 and one U+2581 is
 * prepended, either by a normalizer {@code Sequence[Prepend("▁"), Replace(" ", "▁")]} or by a {@code Metaspace}
 * pre-tokenizer that does not split.
 */
final class MetaspaceStyle {
    static final String MARK = "\u2581";

    private MetaspaceStyle() {}

    static boolean detect(Object normalizer, Object preTokenizer, Path json) {
        boolean prepend = false;
        boolean replace = false;
        for (Object n : flatten(normalizer, "normalizers")) {
            if (!(n instanceof Map<?, ?> m)) continue;
            String type = String.valueOf(m.get("type"));
            if (type.equals("Prepend") && MARK.equals(m.get("prepend"))) prepend = true;
            if (type.equals("Replace") && m.get("pattern") instanceof Map<?, ?> p && " ".equals(p.get("String"))
                    && MARK.equals(m.get("content"))) replace = true;
        }
        if (prepend && replace) return true;
        for (Object n : flatten(preTokenizer, "pretokenizers")) {
            if (n instanceof Map<?, ?> m && "Metaspace".equals(m.get("type"))) {
                if (!MARK.equals(m.get("replacement"))) throw new TokenizerException(json + ": Metaspace replacement other than U+2581 is not supported");
                if (Boolean.TRUE.equals(m.get("split"))) throw new TokenizerException(json + ": Metaspace with split=true is not supported");
                Object scheme = m.get("prepend_scheme");
                if (scheme != null && !"always".equals(scheme) && !"first".equals(scheme)) {
                    throw new TokenizerException(json + ": Metaspace prepend_scheme '" + scheme + "' is not supported");
                }
                return true;
            }
        }
        return false;
    }

    private static List<?> flatten(Object node, String listKey) {
        if (node instanceof Map<?, ?> m) {
            if (m.get(listKey) instanceof List<?> l) return l;
            return List.of(m);
        }
        return List.of();
    }
}
