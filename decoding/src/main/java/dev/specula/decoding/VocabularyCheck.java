package dev.specula.decoding;

import java.util.Objects;

/**
 * llama.cpp's speculative vocabulary compatibility rules: vocab sizes differ by at most 128, identical BOS/EOS,
 * and identical token texts for ids >= 5 over the shared range. Models without a tokenizer (synthetic) must
 * have the same vocab size.
 */
final class VocabularyCheck {
    static final int MAX_SIZE_DIFFERENCE = 128;
    static final int CHECK_START_ID = 5;

    private VocabularyCheck() {}

    static void requireCompatible(DecodingModel target, DecodingModel other, String role) {
        int vt = target.vocabSize(), vo = other.vocabSize();
        String who = role + " model '" + other.name() + "' and target model '" + target.name() + "'";
        boolean textual = target.tokenText(0) != null && other.tokenText(0) != null;
        if (!textual) {
            if (vt != vo) throw new IncompatibleVocabularyException(who + " have different vocabulary sizes (" + vo + " vs " + vt + ")");
            return;
        }
        if (Math.abs(vt - vo) > MAX_SIZE_DIFFERENCE)
            throw new IncompatibleVocabularyException(who + " vocabulary sizes differ by " + Math.abs(vt - vo)
                    + " (" + vo + " vs " + vt + "); at most " + MAX_SIZE_DIFFERENCE + " is allowed");
        if (target.bos() != other.bos())
            throw new IncompatibleVocabularyException(who + " have different BOS ids (" + other.bos() + " vs " + target.bos() + ")");
        if (target.eos() != other.eos())
            throw new IncompatibleVocabularyException(who + " have different EOS ids (" + other.eos() + " vs " + target.eos() + ")");
        int shared = Math.min(vt, vo);
        for (int id = CHECK_START_ID; id < shared; id++) {
            String a = target.tokenText(id), b = other.tokenText(id);
            if (!Objects.equals(a, b))
                throw new IncompatibleVocabularyException(who + " disagree on token " + id + ": '" + b + "' vs '" + a + "'");
        }
    }
}
