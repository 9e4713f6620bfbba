package dev.specula.cli;

import dev.specula.decoding.IncompatibleVocabularyException;
import dev.specula.engine.model.ContextOverflowException;
import dev.specula.engine.model.InvalidModelException;
import dev.specula.engine.model.UnsupportedArchitectureException;
import dev.specula.gguf.GgufFormatException;
import dev.specula.gguf.GgufMetadata;
import dev.specula.gguf.UnsupportedTensorTypeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns an exception into the one line a user reads on stderr ("specula: what happened — what to do")
 * and the exit code 2. Stack traces are printed only with {@code --verbose}.
 */
public final class ErrorReport {
    /** Exit code of every error the user can act on. */
    public static final int EXIT_USER_ERROR = 2;

    private ErrorReport() {}

    /** Prints the message (and with verbose the stack trace) and returns the exit code. */
    public static int report(Throwable error, PrintWriter err, boolean verbose) {
        err.println("specula: " + message(error));
        if (verbose) error.printStackTrace(err);
        else if (isUnexpected(error)) err.println("specula: (run again with --verbose for the stack trace)");
        err.flush();
        return EXIT_USER_ERROR;
    }

    /** The user-facing text for an error (without the "specula: " prefix). */
    public static String message(Throwable error) {
        Throwable e = unwrap(error);
        String simpleName = e.getClass().getSimpleName();
        return switch (e) {
            case CliError c -> c.getMessage();
            case NoSuchFileException n -> "file not found: " + n.getFile() + " — check the path";
            case AccessDeniedException a -> "cannot read " + a.getFile() + ": permission denied";
            case UnsupportedTensorTypeException u -> u.getMessage()
                    + " — convert the model to a supported type (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0,"
                    + " Q2_K..Q6_K, IQ4_NL, IQ4_XS) with llama-quantize";
            case GgufFormatException g -> "not a valid GGUF file: " + g.getMessage()
                    + " — pass a .gguf model file (llama.cpp format)";
            case GgufMetadata.MetadataException m -> "unusable model metadata: " + m.getMessage();
            case UnsupportedArchitectureException u -> u.getMessage() + " — use a GGUF model of a supported architecture";
            case InvalidModelException i -> "cannot use this model: " + i.getMessage();
            case IncompatibleVocabularyException v -> v.getMessage()
                    + " — use a draft model of the same family, with the same tokenizer";
            case ContextOverflowException c -> c.getMessage() + " — use a larger context with -c (up to the model's"
                    + " context length), a shorter prompt or fewer tokens (-n)";
            case NoClassDefFoundError n when String.valueOf(n.getMessage()).contains("jdk/incubator/vector") ->
                    "the Vector API module is not loaded — run java with --add-modules jdk.incubator.vector"
                            + " (java -jar specula.jar and ./specula add it for you)";
            case OutOfMemoryError o -> "out of memory (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB) — use a smaller context with -c, or give Java more memory, e.g. SPECULA_JAVA_OPTS=-Xmx8g";
            default -> {
                String msg = e.getMessage();
                yield msg == null || msg.isBlank() ? simpleName : msg;
            }
        };
    }

    private static boolean isUnexpected(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof NoClassDefFoundError n && String.valueOf(n.getMessage()).contains("jdk/incubator/vector")) return false;
        return !(e instanceof CliError || e instanceof java.io.IOException || e instanceof OutOfMemoryError
                || e instanceof GgufMetadata.MetadataException
                || e instanceof ContextOverflowException || e instanceof IncompatibleVocabularyException);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof UncheckedIOException || e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.lang.reflect.InvocationTargetException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
