package dev.specula.cli;

import dev.specula.engine.tokenizer.Tokenizer;
import dev.specula.gguf.GgufFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code specula tokenize}: text to token ids with a GGUF model's or a Hugging Face tokenizer. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show the token ids and pieces of a text, with the tokenizer of a .gguf file or a Hugging Face tokenizer.json.")
public final class TokenizeCommand extends CliCommand {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = ".gguf file or tokenizer.json (default: the bundled model).")
    Path model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The text.")
    String text;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the text from this UTF-8 file.")
    Path file;

    @Option(names = "--no-special", description = "Add no BOS/special tokens and treat special-token text as plain text.")
    boolean noSpecial;

    @Option(names = "--json", description = "Print {\"ids\": [...], \"pieces\": [...]}.")
    boolean json;

    @Override
    protected int run() throws Exception {
        String input = GenerateCommand.promptText(text, file);
        Path path = BundledModels.targetOr(model, err());
        Tokenizer tokenizer = load(path);
        int[] ids = tokenizer.encode(input, !noSpecial, !noSpecial);
        List<String> pieces = new ArrayList<>(ids.length);
        for (int id : ids) pieces.add(tokenizer.tokenText(id));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ids", ids);
            o.put("pieces", pieces);
            out().println(Json.write(o));
        } else {
            for (int i = 0; i < ids.length; i++) {
                out().printf(Locale.ROOT, "%6d -> '%s'%n", ids[i], pieces.get(i));
            }
            out().println(ids.length + " tokens");
        }
        return 0;
    }

    /** A tokenizer.json (by extension) or the tokenizer of a GGUF file's metadata. */
    static Tokenizer load(Path path) throws java.io.IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            return Tokenizer.fromHuggingFaceJson(path);
        }
        try (GgufFile gguf = GgufFile.open(path)) {
            return Tokenizer.fromGguf(gguf.metadata());
        }
    }
}
