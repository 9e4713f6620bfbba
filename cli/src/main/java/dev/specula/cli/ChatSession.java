package dev.specula.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specula.decoding.DecodeStats;
import dev.specula.decoding.DecodingOptions;
import dev.specula.decoding.GenerationResult;
import dev.specula.decoding.Generator;
import dev.specula.decoding.StopReason;
import dev.specula.decoding.StrategyKind;
import dev.specula.engine.sampling.SamplerConfig;
import dev.specula.engine.tokenizer.ChatMessage;
import dev.specula.engine.tokenizer.ChatTemplate;
import dev.specula.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One conversation with a model: the system prompt, the turns so far, the decoding strategy, and
 * the rendering of the conversation through the model's chat template. Each answer re-renders the
 * whole conversation; the {@link Generator} reuses the KV rows of the unchanged prefix. Not tied to a
 * terminal, so it is driven the same way by the REPL, by piped input and by tests.
 */
final class ChatSession {
    static final String USER = "user", ASSISTANT = "assistant", SYSTEM = "system";
    /** What a model writing ChatML as plain text emits at the end of its turn. */
    static final List<String> CHATML_STOPS = List.of("<|im_end|>", "<|im_start|>");
    /** Shown when the model ends its turn at once (small code models often do under ChatML). */
    static final String EMPTY_ANSWER = "[the model ended its answer without any text]";

    private final LoadedModels models;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final SamplerConfig sampler;
    private final DecodingOptions options;
    private final int maxAnswerTokens;
    private final boolean contextShift;
    private StrategyKind strategy;
    private Generator generator;
    private String system;
    private final List<ChatMessage> turns = new ArrayList<>();
    private DecodeStats lastStats;
    private long totalGenerated;
    private double totalDecodeMs;

    ChatSession(LoadedModels models, StrategyKind strategy, SamplerConfig sampler, DecodingOptions options,
                int maxAnswerTokens, boolean contextShift, String system) {
        this.models = models;
        this.tokenizer = models.target().tokenizer();
        this.template = ChatTemplate.fromGguf(models.target().file().metadata());
        this.sampler = sampler;
        this.options = options;
        this.maxAnswerTokens = maxAnswerTokens;
        this.contextShift = contextShift;
        this.system = system;
        setStrategy(strategy);
    }

    /** True when the model has no chat template of its own and ChatML is used. */
    boolean usesFallbackTemplate() {
        return template.isFallback();
    }

    StrategyKind strategy() {
        return strategy;
    }

    /** Switches the decoding strategy; strategies that need a draft model need one loaded at start. */
    void setStrategy(StrategyKind kind) {
        if (kind.needsDrafts() && models.drafts().isEmpty()) {
            throw new CliError("strategy " + Format.strategy(kind) + " needs a draft model — start chat with --draft MODEL,"
                    + " or with --strategy " + Format.strategy(kind) + " to use the bundled draft");
        }
        generator = models.generatorBuilder().strategy(kind)
                .sampler(sampler).options(options).build();
        strategy = kind;
    }

    String system() {
        return system;
    }

    void setSystem(String text) {
        system = text == null || text.isBlank() ? null : text;
    }

    List<ChatMessage> turns() {
        return List.copyOf(turns);
    }

    /** Forgets the turns (the system prompt stays). */
    void reset() {
        turns.clear();
    }

    DecodeStats lastStats() {
        return lastStats;
    }

    /**
     * Answers {@code userText}, streaming through {@code streamer} (which may be cancelled meanwhile).
     * The answer so far is kept even when cancelled. Returns the answer text.
     */
    String answer(String userText, TokenStreamer streamer, PrintWriter err) {
        turns.add(new ChatMessage(USER, userText));
        int[] prompt;
        try {
            prompt = fitPrompt(err);
        } catch (CliError e) {
            turns.removeLast();
            throw e;
        }
        GenerationResult result;
        try {
            result = generator.generate(prompt, maxAnswerTokens, streamer);
        } catch (RuntimeException e) {
            turns.removeLast(); // the question was not answered: leave the conversation as it was
            throw e;
        }
        String text = streamer.finish();
        turns.add(new ChatMessage(ASSISTANT, text.strip()));
        lastStats = result.stats();
        totalGenerated += result.stats().generatedTokens();
        totalDecodeMs += result.stats().decodeMs();
        if (result.stopReason() == StopReason.CONTEXT_FULL) {
            err.println("specula: the answer stopped at the context limit of " + models.contextLength() + " tokens"
                    + (contextShift ? "" : " — /reset to start over, or run chat with --context-shift"));
            err.flush();
        }
        return text;
    }

    /**
     * Renders and encodes the conversation. When it leaves no room for an answer of
     * {@code maxAnswerTokens}, --context-shift drops the oldest turns (never the last question);
     * without it, a conversation that does not fit at all is an error.
     */
    private int[] fitPrompt(PrintWriter err) {
        int context = models.contextLength();
        int[] prompt = encode();
        int dropped = 0;
        while (contextShift && prompt.length + maxAnswerTokens > context && turns.size() > 1) {
            turns.removeFirst();
            if (!turns.isEmpty() && !turns.getFirst().role().equals(USER)) turns.removeFirst();
            dropped++;
            prompt = encode();
        }
        if (dropped > 0) {
            err.println("specula: context shift: dropped the oldest turns to stay within " + context + " tokens");
            err.flush();
        }
        if (prompt.length >= context) {
            throw new CliError("the conversation (" + prompt.length + " tokens) no longer fits the context of " + context
                    + " tokens — /reset to start over, or run chat with --context-shift");
        }
        return prompt;
    }

    private int[] encode() {
        List<ChatMessage> all = new ArrayList<>();
        if (system != null) all.add(new ChatMessage(SYSTEM, system));
        all.addAll(turns);
        String rendered = template.render(all, true);
        // a template that writes the BOS text itself must not get a second BOS from the tokenizer
        int bos = tokenizer.bos();
        boolean templateHasBos = bos >= 0 && rendered.startsWith(tokenizer.tokenText(bos));
        return tokenizer.encode(rendered, !templateHasBos, true);
    }

    /** Stop strings for the streamer: ChatML markers when the model only knows them as text. */
    List<String> stopStrings() {
        return template.isFallback() ? CHATML_STOPS : List.of();
    }

    String statsText() {
        if (lastStats == null) return "no answer yet";
        return GenerateCommand.statsLine(lastStats, models.loadMs()) + String.format(Locale.ROOT,
                "%nsession: %d tokens generated, %s tok/s on average, strategy %s, context %d tokens",
                totalGenerated, Format.rate(totalDecodeMs > 0 ? totalGenerated / (totalDecodeMs / 1000) : 0),
                Format.strategy(strategy), models.contextLength());
    }

    /** Writes {"system": ..., "messages": [{"role", "content"}...]} as JSON. */
    void save(Path file) throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("system", system);
        List<Map<String, String>> msgs = new ArrayList<>();
        for (ChatMessage m : turns) {
            Map<String, String> msg = new LinkedHashMap<>(); // "role" before "content" in every file, every run
            msg.put("role", m.role());
            msg.put("content", m.content());
            msgs.add(msg);
        }
        o.put("messages", msgs);
        Files.writeString(file, Json.write(o) + "\n", StandardCharsets.UTF_8);
    }

    /** Replaces system prompt and turns with those saved in {@code file}. */
    void load(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliError(file + " is not a saved chat (invalid JSON: " + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.path("messages").isArray()) {
            throw new CliError(file + " is not a saved chat (expected {\"system\": ..., \"messages\": [...]})");
        }
        List<ChatMessage> loaded = new ArrayList<>();
        for (JsonNode m : root.get("messages")) {
            String role = m.path("role").asText(null);
            String content = m.path("content").asText(null);
            if (role == null || content == null) {
                throw new CliError(file + ": every message needs a \"role\" and a \"content\"");
            }
            loaded.add(new ChatMessage(role, content));
        }
        JsonNode sys = root.get("system");
        system = sys == null || sys.isNull() ? null : sys.asText();
        turns.clear();
        turns.addAll(loaded);
    }
}
