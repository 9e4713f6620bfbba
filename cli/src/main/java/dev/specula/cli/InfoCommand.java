package dev.specula.cli;

import dev.specula.gguf.GgufFile;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code specula info [MODEL.gguf] [--json]} and {@code specula info --system}. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show a GGUF model's architecture, hyper-parameters, tokenizer and tensors,",
                "or with --system what this machine and JDK offer (Vector API shape, CPU, threads)."})
public final class InfoCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.gguf",
            description = "GGUF file (default: the bundled model).")
    Path model;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--system", description = "Report the JDK, the Vector API shape, the CPU and the thread count.")
    boolean system;

    @Override
    protected int run() throws Exception {
        if (system) {
            if (model != null) throw new CliError("--system takes no model file — run 'specula info --system' alone");
            var facts = SystemInfo.collect();
            out().print(json ? Json.write(facts) + "\n" : SystemInfo.toText(facts));
            return 0;
        }
        Path path = BundledModels.targetOr(model, err());
        try (GgufFile file = GgufFile.open(path)) {
            ModelInfo info = ModelInfo.of(path, file);
            out().print(json ? Json.write(info.tree()) + "\n" : info.toText());
        }
        return 0;
    }
}
