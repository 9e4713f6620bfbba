package dev.specula.decoding;

/** A draft/extra model cannot be combined with the target because their vocabularies differ. */
public final class IncompatibleVocabularyException extends IllegalArgumentException {
    public IncompatibleVocabularyException(String message) {
        super(message);
    }
}
