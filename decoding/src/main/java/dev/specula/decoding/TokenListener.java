package dev.specula.decoding;

/** Receives each committed token id, in order. Returning false stops generation after that token. */
@FunctionalInterface
public interface TokenListener {
    boolean onToken(int tokenId);

    /** A listener that accepts everything. */
    TokenListener NONE = id -> true;
}
