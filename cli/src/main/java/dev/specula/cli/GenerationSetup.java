package dev.specula.cli;

import dev.specula.decoding.StrategyKind;
import dev.specula.engine.model.KvCacheType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files a generating command loads: the target (first {@code -m}, else the bundled model), the
 * drafts ({@code --draft} files and any further {@code -m} files; the bundled draft when the strategy
 * needs one and none was given).
 */
final class GenerationSetup {
    private GenerationSetup() {}

    static Path target(List<Path> models, PrintWriter err) {
        return BundledModels.targetOr(models.isEmpty() ? null : models.get(0), err);
    }

    static List<Path> drafts(List<Path> models, List<Path> draftFlags, StrategyKind kind, PrintWriter err) {
        List<Path> drafts = new ArrayList<>();
        if (models.size() > 1) drafts.addAll(models.subList(1, models.size()));
        drafts.addAll(draftFlags);
        if (drafts.isEmpty() && kind.needsDrafts()) {
            Path d = BundledModels.require(BundledModels.DRAFT);
            err.println("specula: strategy " + Format.strategy(kind) + " needs a draft model, using the bundled draft " + d);
            err.flush();
            drafts.add(d);
        }
        return drafts;
    }

    /** Loads target and drafts for {@code kind}. */
    static LoadedModels load(List<Path> models, List<Path> draftFlags, StrategyKind kind, int threads, int context,
                             KvCacheType cacheType, PrintWriter err) throws IOException {
        Path target = target(models, err);
        return LoadedModels.load(target, drafts(models, draftFlags, kind, err), threads, context, cacheType);
    }
}
