package dev.specula.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON reader for the golden files (objects → Map, arrays → List, numbers → Double, strings,
 * booleans, null). Kept in the tests so they do not depend on the Jackson version Maven resolves.
 */
final class MiniJson {
    private final String s;
    private int i;

    private MiniJson(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        Object v = p.value();
        p.skipSpace();
        if (p.i != text.length()) throw p.error("trailing characters");
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object o) {
        return (List<Object>) o;
    }

    static int[] ints(Object o) {
        List<Object> list = array(o);
        int[] out = new int[list.size()];
        for (int k = 0; k < out.length; k++) out[k] = ((Double) list.get(k)).intValue();
        return out;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON " + what + " at offset " + i);
    }

    private void skipSpace() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private Object value() {
        skipSpace();
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{' -> {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                skipSpace();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    if (s.charAt(i++) != ':') throw error("expected ':'");
                    m.put(key, value());
                    skipSpace();
                    char d = s.charAt(i++);
                    if (d == '}') return m;
                    if (d != ',') throw error("expected ',' or '}'");
                }
            }
            case '[' -> {
                i++;
                List<Object> list = new ArrayList<>();
                skipSpace();
                if (s.charAt(i) == ']') {
                    i++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skipSpace();
                    char d = s.charAt(i++);
                    if (d == ']') return list;
                    if (d != ',') throw error("expected ',' or ']'");
                }
            }
            case '"' -> {
                return string();
            }
            default -> {
                if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
                if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
                if (s.startsWith("null", i)) { i += 4; return null; }
                int start = i;
                while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                if (start == i) throw error("unexpected character '" + c + "'");
                return Double.parseDouble(s.substring(start, i));
            }
        }
    }

    private String string() {
        if (s.charAt(i) != '"') throw error("expected a string");
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
    }
}
