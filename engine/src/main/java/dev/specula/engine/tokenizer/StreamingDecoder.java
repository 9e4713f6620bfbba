package dev.specula.engine.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns generated token ids into text incrementally. Tokens may end in the middle of a UTF-8 character
 * (byte-level BPE, byte-fallback tokens); such trailing bytes are held back until the character is complete.
 * Invalid byte sequences become U+FFFD. Not thread-safe: one instance per stream.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(64);
    private CharBuffer chars = CharBuffer.allocate(128);

    public StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token; returns the text that is now complete (possibly empty). */
    public String push(int id) {
        byte[] b = tokenizer.tokenBytes(id);
        if (pending.remaining() < b.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + b.length));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(b);
        return drain(false);
    }

    /** Returns whatever is left (an incomplete trailing character becomes U+FFFD) and resets the decoder. */
    public String flush() {
        String s = drain(true);
        utf8.reset();
        return s;
    }

    private String drain(boolean endOfInput) {
        pending.flip();
        StringBuilder sb = new StringBuilder();
        while (true) {
            chars.clear();
            CoderResult r = utf8.decode(pending, chars, endOfInput);
            chars.flip();
            sb.append(chars);
            if (r.isOverflow()) continue;
            break;
        }
        if (endOfInput) {
            while (true) {
                chars.clear();
                CoderResult r = utf8.flush(chars);
                chars.flip();
                sb.append(chars);
                if (!r.isOverflow()) break;
            }
        }
        pending.compact();
        return sb.toString();
    }
}
