package dev.specula.decoding;

import java.io.IOException;
import java.nio.file.Path;

/** An n-gram cache file is malformed; the message names the file and the byte offset. */
public final class NgramCacheFormatException extends IOException {
    public NgramCacheFormatException(Path file, long offset, String problem) {
        super("n-gram cache " + file + " at byte " + offset + ": " + problem);
    }
}
