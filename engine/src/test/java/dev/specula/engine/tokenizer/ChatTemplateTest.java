package dev.specula.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.GgufFile;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat templates rendered with Jinjava against hand-written expected strings (from each template's semantics). */
class ChatTemplateTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("system", "You are terse."),
            new ChatMessage("user", "  Hi there!\n"),
            new ChatMessage("assistant", "Hello."),
            new ChatMessage("user", "Sum 2+2?"));

    private static String template(String relative) throws IOException {
        Map<String, Object> cfg = TokenizerTestData.json(relative);
        return (String) cfg.get("chat_template");
    }

    @Test
    void llama3TemplateTrimsContentAndPrefixesBos() throws IOException {
        ChatTemplate t = new ChatTemplate(template("models/llama3-tokenizer/tokenizer_config.json"), "<|begin_of_text|>", "<|end_of_text|>");
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi there!<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nSum 2+2?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(expected, t.render(CONVERSATION, true));
        assertFalse(t.isFallback());
    }

    @Test
    void qwen3TemplateRendersSystemUserAssistantTurns() throws IOException {
        ChatTemplate t = new ChatTemplate(template("models/qwen3-tokenizer/tokenizer_config.json"), "", "<|im_end|>");
        String expected = "<|im_start|>system\nYou are terse.<|im_end|>\n"
                + "<|im_start|>user\n  Hi there!\n<|im_end|>\n"
                + "<|im_start|>assistant\nHello.<|im_end|>\n"
                + "<|im_start|>user\nSum 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n";
        assertEquals(expected, t.render(CONVERSATION, true));
    }

    @Test
    void qwen3TemplateSplitsThinkingOfTheLastAssistantTurnAndHonoursEnableThinking() throws IOException {
        ChatTemplate t = new ChatTemplate(template("models/qwen3-tokenizer/tokenizer_config.json"), "", "<|im_end|>");
        List<ChatMessage> msgs = List.of(new ChatMessage("user", "Q?"),
                new ChatMessage("assistant", "<think>\nhmm\n</think>\n\nA."));
        // the assistant turn after the last user query keeps its reasoning, re-wrapped
        assertEquals("<|im_start|>user\nQ?<|im_end|>\n<|im_start|>assistant\n<think>\nhmm\n</think>\n\nA.<|im_end|>\n",
                t.render(msgs, false));
        assertEquals("<|im_start|>user\nQ?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                t.render(List.of(new ChatMessage("user", "Q?")), true, Map.of("enable_thinking", false)));
    }

    @Test
    void chatMlFallbackForAModelWithoutTemplate() throws IOException {
        try (GgufFile f = GgufFile.open(SharedData.require("models/pycode/pycode-7m-q8_0.gguf"))) {
            ChatTemplate t = ChatTemplate.fromGguf(f.metadata());
            assertTrue(t.isFallback());
            assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                    t.render(List.of(new ChatMessage("user", "hi")), true));
            assertEquals("<|im_start|>user\nhi<|im_end|>\n", t.render(List.of(new ChatMessage("user", "hi")), false));
        }
    }

    @Test
    void phi3TemplateFromGguf() throws IOException {
        try (GgufFile f = GgufFile.open(SharedData.require("models/llama.cpp-vocab/ggml-vocab-phi-3.gguf"))) {
            ChatTemplate t = ChatTemplate.fromGguf(f.metadata());
            assertFalse(t.isFallback());
            assertEquals("<s><|user|>\nHi<|end|>\n<|assistant|>\nYo<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n",
                    t.render(List.of(new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Yo"), new ChatMessage("user", "Bye")), true));
        }
    }

    @Test
    void jinjaFeaturesUsedByRealTemplates() {
        ChatTemplate t = new ChatTemplate("{% set ns = namespace(n=0) %}{% for m in messages[1:] %}{% set ns.n = ns.n + 1 %}"
                + "{% if loop.first %}[{% endif %}{{ m.content|trim }}{% if m.content.startswith('b') %}*{% endif %}"
                + "{% if not loop.last %},{% else %}]{% endif %}{% endfor %}{{ ns.n }}{{ messages[0].content.strip('x') }}"
                + "{{ messages[0].content.rstrip('x').lstrip('x').upper() }}", "", "");
        List<ChatMessage> msgs = List.of(new ChatMessage("system", "xxsysx"), new ChatMessage("user", " a "), new ChatMessage("user", "b"));
        assertEquals("[a,b*]2sysSYS", t.render(msgs, false));
    }

    @Test
    void raiseExceptionBecomesATypedError() {
        ChatTemplate t = new ChatTemplate("{% if messages[0].role != 'user' %}{{ raise_exception('first message must be user') }}{% endif %}ok", "", "");
        assertEquals("ok", t.render(List.of(new ChatMessage("user", "x")), false));
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.render(List.of(new ChatMessage("system", "x")), false));
        assertTrue(e.getMessage().contains("first message must be user"), e.getMessage());
    }
}
