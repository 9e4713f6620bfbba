package dev.specula.decoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * ADED (Liu et al., AAAI'25; doc §5): retrieval-style drafting from a tri-gram table built from an optional
 * corpus plus the prompt and the text generated so far (the table adapts as the generation proceeds), searched
 * with {@link TrigramSearch}; the resulting token tree is scored in one forward and walked by tree
 * sample-and-match. Unlike the reference code's sampler (which resamples independently per path and keeps the
 * longest match, biasing toward drafts), this is exact for sampling as well as greedy.
 */
final class AdedStrategy implements Strategy {
    /** Corpus text read at most (bytes), so a wrong path cannot exhaust memory. */
    static final long MAX_CORPUS_BYTES = 256L << 20;

    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final TrigramSearch search;
    private final TrigramTable corpus;
    private final int maxNodes;
    private TrigramTable table;

    AdedStrategy(DecodingModel target, DecodingOptions options, TreeVerifier verifier) {
        this.verifier = verifier;
        this.maxNodes = options.adedMaxNodes();
        this.tree = new DraftTree(maxNodes + 2);
        this.search = new TrigramSearch(options.adedIterations(), options.adedDepth(), options.seed());
        this.corpus = options.corpus() == null ? null : loadCorpus(target, options.corpus());
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.ADED;
    }

    /**
     * A tri-gram table from a saved table file (n-gram cache format) or from text: a file, or every regular file
     * under a folder, tokenized with the target's tokenizer.
     */
    static TrigramTable loadCorpus(DecodingModel target, Path path) {
        try {
            if (!Files.exists(path)) throw new IllegalArgumentException("corpus path " + path + " does not exist");
            if (Files.isRegularFile(path) && looksLikeTable(path)) return TrigramTable.load(path, target.vocabSize());
            List<Path> files;
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = List.of(path);
            }
            TrigramTable t = new TrigramTable();
            long read = 0;
            for (Path f : files) {
                long size = Files.size(f);
                if (read + size > MAX_CORPUS_BYTES) break;
                read += size;
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString();
                int[] ids = target.encodeText(text);
                t.addAll(ids, 0, ids.length, 1f);
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ADED corpus " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean looksLikeTable(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'S' && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        }
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        table = corpus == null ? new TrigramTable() : corpus.copy();
        table.addAll(st.tokens, 0, st.count, 1f);
    }

    @Override
    public void step(DecodeState st) {
        if (table == null) begin(st, 0);
        int before = st.count;
        tree.reset(st.last());
        if (st.count >= 2) search.draft(table, st.tokens[st.count - 2], st.last(), tree, maxNodes, st.draftBudget());
        verifier.verify(st, tree);
        // the table adapts: tri-grams completed by the new tokens
        table.addAll(st.tokens, Math.max(0, before - 2), st.count, 1f);
    }

    @Override
    public String detail() {
        return table == null ? "" : "tri-gram keys " + table.size();
    }
}
