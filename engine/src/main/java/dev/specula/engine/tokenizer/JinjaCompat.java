package dev.specula.engine.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * Bridges the Python-flavoured Jinja2 that Hugging Face chat templates use and what Jinjava evaluates:
 * whitespace control ({@code {{-}, {@code -%}}) is applied here (Jinjava ignores it on expressions); inside {@code {{ }}} / {@code {% %}} tags, string-literal escapes ({@code \n}, {@code \t}, {@code \r}) become the
 * characters (Jinjava's EL keeps them literally), {@code x[::-1]} becomes {@code x|reverse}, and Python str methods
 * ({@code strip/lstrip/rstrip/startswith/endswith/split/upper/lower/title/capitalize/replace}) on an expression
 * become the {@code pystr} filter applied to that expression.
 */
final class JinjaCompat {
    private static final List<String> METHODS = List.of("strip", "lstrip", "rstrip", "startswith", "endswith", "split",
            "upper", "lower", "title", "capitalize", "replace");

    private JinjaCompat() {}

    static String rewrite(String template) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = nextTag(template, i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            String close = template.charAt(open + 1) == '{' ? "}}" : "%}";
            int end = findClose(template, open + 2, close);
            if (end < 0) {
                out.append(template, i, template.length());
                break;
            }
            String inner = template.substring(open + 2, end);
            String text = template.substring(i, open);
            if (inner.startsWith("-")) { // {{- / {%- : strip whitespace before the tag
                text = text.stripTrailing();
                inner = inner.substring(1);
            }
            out.append(text).append(template, open, open + 2);
            boolean stripAfter = inner.endsWith("-");
            if (stripAfter) inner = inner.substring(0, inner.length() - 1);
            out.append(rewriteExpression(inner));
            out.append(close);
            i = end + 2;
            if (stripAfter) { // -}} / -%} : strip whitespace after the tag
                while (i < template.length() && Character.isWhitespace(template.charAt(i))) i++;
            }
        }
        return out.toString();
    }

    private static int nextTag(String t, int from) {
        int a = t.indexOf("{{", from);
        int b = t.indexOf("{%", from);
        if (a < 0) return b;
        if (b < 0) return a;
        return Math.min(a, b);
    }

    /** End of the tag, skipping string literals. */
    private static int findClose(String t, int from, String close) {
        char quote = 0;
        for (int i = from; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == close.charAt(0) && t.charAt(i + 1) == close.charAt(1)) {
                return i;
            }
        }
        return -1;
    }

    static String rewriteExpression(String e) {
        e = unescapeLiterals(e);
        e = e.replace("[::-1]", "|reverse");
        e = parenthesizeNamedArguments(e);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String m : METHODS) {
                int at = findMethodCall(e, "." + m + "(");
                if (at < 0) continue;
                int argsStart = at + m.length() + 2;
                int argsEnd = matching(e, argsStart - 1);
                int chainStart = chainStart(e, at);
                if (argsEnd < 0 || chainStart >= at) continue;
                String chain = e.substring(chainStart, at);
                String args = e.substring(argsStart, argsEnd).trim();
                String call = "(" + chain + "|pystr('" + m + "'" + (args.isEmpty() ? "" : ", " + args) + "))";
                e = e.substring(0, chainStart) + call + e.substring(argsEnd + 1);
                changed = true;
            }
        }
        return e;
    }

    /**
     * {@code namespace(a=x|length - 1)}: Jinjava binds {@code =} tighter than arithmetic, so each named argument's
     * value is wrapped in parentheses.
     */
    private static String parenthesizeNamedArguments(String e) {
        int from = 0;
        while (true) {
            int at = e.indexOf("namespace(", from);
            if (at < 0) return e;
            int open = at + "namespace".length();
            int close = matching(e, open);
            if (close < 0) return e;
            List<String> parts = new ArrayList<>();
            int depth = 0;
            char quote = 0;
            int start = open + 1;
            for (int i = open + 1; i < close; i++) {
                char c = e.charAt(i);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    parts.add(e.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(e.substring(start, close));
            StringBuilder args = new StringBuilder();
            for (String part : parts) {
                if (args.length() > 0) args.append(", ");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=(?!=)(.*)$", java.util.regex.Pattern.DOTALL).matcher(part);
                args.append(m.matches() ? m.group(1) + "=(" + m.group(2).trim() + ")" : part.trim());
            }
            String replaced = "namespace(" + args + ")";
            e = e.substring(0, at) + replaced + e.substring(close + 1);
            from = at + replaced.length();
        }
    }

    /** Position of ".name(" outside string literals, or -1. */
    private static int findMethodCall(String e, String needle) {
        char quote = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (e.startsWith(needle, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the bracket closing the one at {@code open}, skipping literals; -1 if unbalanced. */
    private static int matching(String e, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < e.length(); i++) {
            char c = e.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                continue;
            }
            if (c == '\'' || c == '"') quote = c;
            else if (c == '(' || c == '[') depth++;
            else if (c == ')' || c == ']') {
                if (--depth == 0) return i;
            }
        }
        return -1;
    }

    /** Start of the postfix expression (identifiers, dots, calls, subscripts, a literal) that ends at {@code dot}. */
    private static int chainStart(String e, int dot) {
        int i = dot - 1;
        while (i >= 0) {
            char c = e.charAt(i);
            if (c == ')' || c == ']') {
                int depth = 0;
                char quote = 0;
                for (; i >= 0; i--) {
                    char d = e.charAt(i);
                    if (quote != 0) {
                        if (d == quote) quote = 0;
                        continue;
                    }
                    if (d == '\'' || d == '"') quote = d;
                    else if (d == ')' || d == ']') depth++;
                    else if (d == '(' || d == '[') {
                        if (--depth == 0) break;
                    }
                }
                i--;
                if (i >= 0 && (Character.isJavaIdentifierPart(e.charAt(i)) || e.charAt(i) == ')' || e.charAt(i) == ']')) continue;
                return i + 1;
            } else if (c == '\'' || c == '"') {
                int j = e.lastIndexOf(c, i - 1);
                return j < 0 ? i : j;
            } else if (Character.isJavaIdentifierPart(c)) {
                while (i >= 0 && Character.isJavaIdentifierPart(e.charAt(i))) i--;
                if (i >= 0 && e.charAt(i) == '.') {
                    i--;
                    continue;
                }
                return i + 1;
            } else {
                return i + 1;
            }
        }
        return 0;
    }

    private static String unescapeLiterals(String e) {
        StringBuilder sb = new StringBuilder(e.length());
        char quote = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (quote != 0 && c == '\\' && i + 1 < e.length()) {
                char n = e.charAt(i + 1);
                switch (n) {
                    case 'n' -> { sb.append('\n'); i++; continue; }
                    case 't' -> { sb.append('\t'); i++; continue; }
                    case 'r' -> { sb.append('\r'); i++; continue; }
                    default -> { sb.append(c).append(n); i++; continue; }
                }
            }
            if (quote != 0 && c == quote) quote = 0;
            else if (quote == 0 && (c == '\'' || c == '"')) quote = c;
            sb.append(c);
        }
        return sb.toString();
    }

    /** The {@code pystr} filter: {@code value|pystr('method', args...)} with Python str semantics. */
    static final class PyStrFilter implements Filter {
        @Override
        public String getName() {
            return "pystr";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String s = var == null ? "" : var.toString();
            String m = args.length > 0 ? args[0] : "";
            String a1 = args.length > 1 ? args[1] : null;
            return switch (m) {
                case "strip" -> rstrip(lstrip(s, a1), a1);
                case "lstrip" -> lstrip(s, a1);
                case "rstrip" -> rstrip(s, a1);
                case "startswith" -> a1 != null && s.startsWith(a1);
                case "endswith" -> a1 != null && s.endsWith(a1);
                case "split" -> split(s, a1);
                case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
                case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
                case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + s.substring(1).toLowerCase(java.util.Locale.ROOT);
                case "title" -> title(s);
                case "replace" -> args.length > 2 ? s.replace(a1, args[2]) : s;
                default -> throw new IllegalArgumentException("unsupported string method " + m);
            };
        }

        private static boolean strips(char c, String chars) {
            return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
        }

        static String lstrip(String s, String chars) {
            int i = 0;
            while (i < s.length() && strips(s.charAt(i), chars)) i++;
            return s.substring(i);
        }

        static String rstrip(String s, String chars) {
            int i = s.length();
            while (i > 0 && strips(s.charAt(i - 1), chars)) i--;
            return s.substring(0, i);
        }

        static List<String> split(String s, String sep) {
            List<String> out = new ArrayList<>();
            if (sep == null || sep.isEmpty()) {
                for (String p : s.trim().split("\\s+")) if (!p.isEmpty()) out.add(p);
                return out;
            }
            int from = 0;
            int at;
            while ((at = s.indexOf(sep, from)) >= 0) {
                out.add(s.substring(from, at));
                from = at + sep.length();
            }
            out.add(s.substring(from));
            return out;
        }

        private static String title(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            boolean start = true;
            for (char c : s.toCharArray()) {
                sb.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
                start = !Character.isLetter(c);
            }
            return sb.toString();
        }
    }
}
