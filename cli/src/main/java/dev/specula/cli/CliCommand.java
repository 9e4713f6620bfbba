package dev.specula.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every Specula command: {@code --verbose}, the command line's stdout/stderr writers, and the
 * rule that any failure becomes one line on stderr with exit code 2 (see {@link ErrorReport}), also
 * when the caller built a plain {@code new CommandLine(new Main())}.
 */
public abstract class CliCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    protected boolean verbose;

    /** The command's work; returns the exit code. */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            int code = run();
            out().flush();
            return code;
        } catch (Exception | OutOfMemoryError | StackOverflowError | NoClassDefFoundError e) {
            out().flush();
            return ErrorReport.report(e, err(), verboseRequested());
        }
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** --verbose on this command or on any parent command. */
    protected boolean verboseRequested() {
        if (verbose) return true;
        for (var s = spec.parent(); s != null; s = s.parent()) {
            if (s.userObject() instanceof CliCommand c && c.verbose) return true;
        }
        return false;
    }
}
