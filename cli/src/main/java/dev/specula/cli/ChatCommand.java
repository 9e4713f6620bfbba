package dev.specula.cli;

import dev.specula.decoding.StrategyKind;
import dev.specula.engine.sampling.SamplerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code specula chat}: an interactive conversation on a terminal ({@link ChatRepl}), or, when stdin
 * is not a terminal, one answer to everything read from stdin.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Chat with a model using its chat template (ChatML when it has none).",
                "Piped input (echo question | specula chat) is answered once."})
public final class ChatCommand extends CliCommand {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "GGUF model (default: the bundled one).")
    List<Path> models = new ArrayList<>();

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    String system;

    @Option(names = "--context-shift", description = "When the context is full, drop the oldest turns instead of stopping.")
    boolean contextShift;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "256", paramLabel = "N", description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxAnswerTokens;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    int threads = SystemInfo.defaultThreads();

    @Option(names = {"-c", "--ctx-size"}, defaultValue = "0", paramLabel = "N", description = "Context length; 0 = the model's (default).")
    int contextLength;

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Mixin
    DecodingFlags decoding = new DecodingFlags();

    /** Where piped input comes from (System.in; tests substitute it). */
    InputStream stdin = System.in;
    /** A terminal to use instead of the system one (tests); null = decide from the console. */
    Terminal terminal;
    /** Whether to run interactively; null = when stdin/stdout are a terminal. */
    Boolean interactive;

    @Override
    protected int run() throws Exception {
        if (maxAnswerTokens < 1) throw new CliError("-n must be at least 1, got " + maxAnswerTokens);
        StrategyKind kind = decoding.kind();
        SamplerConfig sampler = sampling.toConfig();
        boolean tty = interactive != null ? interactive : System.console() != null && System.console().isTerminal();
        String question = tty ? null : new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!tty && question.isEmpty()) {
            throw new CliError("no question on stdin — pipe one in (echo 'question' | specula chat) or run chat in a terminal");
        }
        try (LoadedModels loaded = GenerationSetup.load(models, decoding.drafts, kind, threads, contextLength, decoding.cacheType(), err())) {
            ChatSession session = new ChatSession(loaded, kind, sampler,
                    decoding.toOptions(loaded.contextLength(), sampler.seed()), maxAnswerTokens, contextShift, system);
            if (!tty) {
                if (session.usesFallbackTemplate()) {
                    err().println("specula: the model has no chat template; using ChatML");
                    err().flush();
                }
                TokenStreamer streamer = new TokenStreamer(loaded.target().tokenizer(), out(), session.stopStrings());
                String text = session.answer(question, streamer, err());
                if (!text.endsWith("\n")) out().println();
                if (text.isBlank()) err().println("specula: " + ChatSession.EMPTY_ANSWER);
                return 0;
            }
            Terminal t = terminal != null ? terminal : TerminalBuilder.builder().system(true).build();
            try {
                Path history = terminal != null ? null : Path.of(System.getProperty("user.home"), ".specula_chat_history");
                new ChatRepl(session, loaded.target().tokenizer(), t, history)
                        .run(loaded.target().file().metadata().getString("general.name", "the model"));
            } finally {
                if (terminal == null) closeQuietly(t);
            }
        }
        return 0;
    }

    private static void closeQuietly(Terminal t) {
        try {
            t.close();
        } catch (IOException e) {
            // the terminal is being torn down at exit; nothing left to restore
        }
    }
}
