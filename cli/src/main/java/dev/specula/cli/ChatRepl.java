package dev.specula.cli;

import dev.specula.decoding.StrategyKind;
import dev.specula.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive chat loop on a JLine terminal: line editing and history, a trailing backslash
 * continues the message on the next line, Ctrl-C stops the answer being written (or clears the
 * line being typed), Ctrl-D leaves, and slash commands manage the conversation.
 */
final class ChatRepl {
    static final String PROMPT = "> ", CONTINUATION = ". ";
    static final String HELP = String.join("\n",
            "/help             this list",
            "/reset            forget the conversation (the system prompt stays)",
            "/system [TEXT]    show or set the system prompt",
            "/stats            speed and acceptance of the last answer and of the session",
            "/strategy [NAME]  show or switch the decoding strategy (ar, lookup, speculative, ...)",
            "/save FILE        save the conversation as JSON",
            "/load FILE        load a conversation saved with /save",
            "/exit             leave (or Ctrl-D)",
            "A line ending in \\ continues on the next line. Ctrl-C stops the current answer.");

    private final ChatSession session;
    private final Tokenizer tokenizer;
    private final Terminal terminal;
    private final LineReader reader;
    private final PrintWriter out;
    private volatile TokenStreamer current;

    ChatRepl(ChatSession session, Tokenizer tokenizer, Terminal terminal, Path historyFile) {
        this.session = session;
        this.tokenizer = tokenizer;
        this.terminal = terminal;
        this.out = terminal.writer();
        DefaultParser parser = new DefaultParser().escapeChars(new char[0]).quoteChars(new char[0])
                .eofOnEscapedNewLine(false).eofOnUnclosedQuote(false);
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) b.variable(LineReader.HISTORY_FILE, historyFile);
        this.reader = b.build();
    }

    /** Runs until Ctrl-D or /exit. */
    void run(String modelName) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
            TokenStreamer s = current;
            if (s != null) s.cancel();
        });
        try {
            out.println("Chatting with " + modelName + " (strategy " + Format.strategy(session.strategy())
                    + "). /help lists the commands, Ctrl-D leaves.");
            if (session.usesFallbackTemplate()) {
                out.println("note: the model has no chat template; using ChatML.");
            }
            out.flush();
            while (true) {
                String message;
                try {
                    message = readMessage();
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C while typing: drop the line, stay
                } catch (EndOfFileException e) {
                    break;
                }
                if (message.isBlank()) continue;
                if (message.startsWith("/")) {
                    if (!command(message.strip())) break;
                    continue;
                }
                answer(message);
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            out.flush();
        }
    }

    /** Reads one message; lines ending in a backslash continue on the next line. */
    private String readMessage() {
        StringBuilder sb = new StringBuilder();
        String line = reader.readLine(PROMPT);
        while (line.endsWith("\\")) {
            sb.append(line, 0, line.length() - 1).append('\n');
            line = reader.readLine(CONTINUATION);
        }
        return sb.append(line).toString();
    }

    private void answer(String message) {
        TokenStreamer streamer = new TokenStreamer(tokenizer, out, session.stopStrings());
        current = streamer;
        try {
            String text = session.answer(message, streamer, out);
            if (!text.endsWith("\n")) out.println();
            if (streamer.wasCancelled()) out.println("[stopped]");
            else if (text.isBlank()) out.println(ChatSession.EMPTY_ANSWER);
        } catch (RuntimeException e) {
            String partial = streamer.finish();
            if (!partial.isEmpty() && !partial.endsWith("\n")) out.println();
            out.println("specula: " + ErrorReport.message(e));
        } finally {
            current = null;
            out.flush();
        }
    }

    /** Runs a slash command; returns false to leave. */
    private boolean command(String line) {
        int space = line.indexOf(' ');
        String name = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
        String arg = space < 0 ? "" : line.substring(space + 1).strip();
        try {
            switch (name) {
                case "/help" -> out.println(HELP);
                case "/exit", "/quit" -> {
                    return false;
                }
                case "/reset" -> {
                    session.reset();
                    out.println("conversation cleared");
                }
                case "/system" -> {
                    if (arg.isEmpty()) {
                        out.println(session.system() == null ? "no system prompt" : "system prompt: " + session.system());
                    } else {
                        session.setSystem(arg);
                        out.println("system prompt set");
                    }
                }
                case "/stats" -> out.println(session.statsText());
                case "/strategy" -> {
                    if (!arg.isEmpty()) session.setStrategy(parseStrategy(arg));
                    out.println("strategy: " + Format.strategy(session.strategy()));
                }
                case "/save" -> {
                    Path file = requirePath(arg, "/save");
                    session.save(file);
                    out.println("saved " + session.turns().size() + " messages to " + file);
                }
                case "/load" -> {
                    Path file = requirePath(arg, "/load");
                    session.load(file);
                    out.println("loaded " + session.turns().size() + " messages from " + file);
                }
                default -> out.println("unknown command " + name + " — /help lists the commands");
            }
        } catch (CliError e) {
            out.println("specula: " + e.getMessage());
        } catch (IOException e) {
            out.println("specula: " + ErrorReport.message(e));
        }
        out.flush();
        return true;
    }

    private static Path requirePath(String arg, String command) {
        if (arg.isEmpty()) throw new CliError(command + " needs a file name, e.g. " + command + " chat.json");
        return Path.of(arg);
    }

    private static StrategyKind parseStrategy(String name) {
        try {
            return StrategyKind.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }
}
