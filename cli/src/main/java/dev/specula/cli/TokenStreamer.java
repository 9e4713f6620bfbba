package dev.specula.cli;

import dev.specula.decoding.TokenListener;
import dev.specula.engine.tokenizer.StreamingDecoder;
import dev.specula.engine.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prints committed tokens as text while they arrive (complete UTF-8 characters only, via the
 * tokenizer's {@link StreamingDecoder}) and stops the generation when {@link #cancel()} was called
 * (Ctrl-C in chat) or a stop string appeared (the stop string itself is not shown). A null writer
 * streams nothing (JSON output).
 */
final class TokenStreamer implements TokenListener {
    private final StreamingDecoder decoder;
    private final PrintWriter out;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private final StopStrings stops;

    TokenStreamer(Tokenizer tokenizer, PrintWriter out) {
        this(tokenizer, out, List.of());
    }

    TokenStreamer(Tokenizer tokenizer, PrintWriter out, List<String> stopStrings) {
        this.decoder = tokenizer.streamingDecoder();
        this.out = out;
        this.stops = new StopStrings(stopStrings);
    }

    @Override
    public boolean onToken(int tokenId) {
        emit(stops.push(decoder.push(tokenId)));
        return !cancelled.get() && !stops.stopped();
    }

    /** Asks the running generation to stop after the current step (safe from any thread). */
    void cancel() {
        cancelled.set(true);
    }

    boolean wasCancelled() {
        return cancelled.get();
    }

    /** True when generation ended because a stop string appeared. */
    boolean hitStopString() {
        return stops.stopped();
    }

    /** Emits what the decoder still holds; returns all text streamed. */
    String finish() {
        emit(stops.push(decoder.flush()));
        emit(stops.flush());
        return text.toString();
    }

    private void emit(String s) {
        if (s == null || s.isEmpty()) return;
        text.append(s);
        if (out != null) {
            out.print(s);
            out.flush();
        }
    }
}
