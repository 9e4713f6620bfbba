package dev.specula.engine.tokenizer;

import java.util.Objects;

/** One turn of a chat: role ("system", "user", "assistant", "tool", ...) and its text. */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
