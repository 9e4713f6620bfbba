package dev.specula.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.FatalTemplateErrorsException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.specula.gguf.GgufMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a conversation into the prompt text a model expects, using the model's Jinja2 chat template
 * ({@code tokenizer.chat_template}) evaluated with Jinjava. Variables: {@code messages} (list of {role, content}),
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, plus the function {@code raise_exception(msg)}.
 * Without a template, ChatML is used ({@link #isFallback()}).
 */
public final class ChatTemplate {
    /** ChatML, the fallback when a model has no template (same text llama.cpp's "chatml" template produces). */
    public static final String CHATML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final boolean fallback;
    private final Jinjava jinjava;
    private final String compiled;

    public ChatTemplate(String template, String bosToken, String eosToken) {
        this(template, bosToken, eosToken, false);
    }

    private ChatTemplate(String template, String bosToken, String eosToken, boolean fallback) {
        this.source = template;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.fallback = fallback;
        this.compiled = JinjaCompat.rewrite(template);
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false).build());
        jinjava.getGlobalContext().registerFilter(new JinjaCompat.PyStrFilter());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    }

    /** The template of a GGUF file ({@code tokenizer.chat_template}) with its BOS/EOS texts; ChatML when absent. */
    public static ChatTemplate fromGguf(GgufMetadata md) {
        String bos = tokenText(md, "tokenizer.ggml.bos_token_id");
        String eos = tokenText(md, "tokenizer.ggml.eos_token_id");
        String t = md.getString("tokenizer.chat_template", null);
        if (t == null || t.isBlank()) return chatMl(bos, eos);
        return new ChatTemplate(t, bos, eos, false);
    }

    /** The ChatML fallback. */
    public static ChatTemplate chatMl(String bosToken, String eosToken) {
        return new ChatTemplate(CHATML, bosToken, eosToken, true);
    }

    private static String tokenText(GgufMetadata md, String key) {
        if (!md.contains(key) || !md.contains("tokenizer.ggml.tokens")) return "";
        long id = md.getLong(key);
        String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
        return id >= 0 && id < tokens.length ? tokens[(int) id] : "";
    }

    /** True when the model had no template and ChatML is used. */
    public boolean isFallback() {
        return fallback;
    }

    public String source() {
        return source;
    }

    /** Renders the conversation; {@code addGenerationPrompt} opens the assistant's turn. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /** Renders with extra template variables (e.g. {@code enable_thinking}). */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
        List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            msgs.add(map);
        }
        Map<String, Object> ctx = new HashMap<>(extra);
        ctx.put("messages", msgs);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        ctx.put("bos_token", bosToken);
        ctx.put("eos_token", eosToken);
        RenderResult r;
        RAISED.remove();
        try {
            r = jinjava.renderForResult(compiled, ctx);
        } catch (FatalTemplateErrorsException e) {
            throw failure(e.getMessage(), e);
        }
        if (RAISED.get() != null) throw failure(null, null);
        for (TemplateError err : r.getErrors()) {
            if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TokenizerException("chat template failed: " + err.getMessage()
                        + (err.getLineno() > 0 ? " (template line " + err.getLineno() + ")" : ""));
            }
        }
        return r.getOutput();
    }

    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    private static TokenizerException failure(String message, Throwable cause) {
        String raised = RAISED.get();
        RAISED.remove();
        if (raised != null) return new TokenizerException("chat template raised an exception: " + raised, cause);
        return new TokenizerException("chat template failed: " + message, cause);
    }

    /** {@code raise_exception(msg)} inside a template: remembered, and reported by {@link #render} as a TokenizerException. */
    public static String raiseException(String message) {
        RAISED.set(message);
        throw new TokenizerException("chat template raised an exception: " + message);
    }
}
