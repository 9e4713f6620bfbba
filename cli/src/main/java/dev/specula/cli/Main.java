package dev.specula.cli;

import dev.specula.bench.BenchCommand;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code specula} command line. {@link #main} first makes sure the Vector API module is loaded
 * (relaunching the JVM when it is not, see {@link Relauncher}) and only then builds the commands,
 * so no Vector API class is touched before that decision.
 */
@Command(name = "specula", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = {"Pure-JVM LLM inference with lossless drafting and verification.",
                "Without a command: a short demo on the bundled model."},
        subcommands = {InfoCommand.class, TokenizeCommand.class, GenerateCommand.class, ChatCommand.class,
                BenchCommand.class, PackageCommand.class, CommandLine.HelpCommand.class})
public final class Main extends CliCommand {

    public static void main(String[] args) {
        if (Relauncher.shouldRelaunch(Relauncher.vectorModulePresent(), System.getProperty(Relauncher.RELAUNCHED_PROPERTY))) {
            try {
                System.exit(Relauncher.relaunch(args));
            } catch (IOException e) {
                System.err.println("specula: cannot start Java again with the Vector API module (" + e.getMessage()
                        + ") — run java --add-modules jdk.incubator.vector -jar specula.jar ...");
                System.exit(ErrorReport.EXIT_USER_ERROR);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                System.exit(130);
            }
        }
        System.exit(newCommandLine().execute(args));
    }

    /** The command line with Specula's error handling for invalid options (one hint line, exit code 2). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("specula: " + ex.getMessage() + " — see '" + failed.getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return ErrorReport.EXIT_USER_ERROR;
        });
        // commands that are not CliCommands (the bench module's) get the same one-line errors; --verbose on
        // `specula` itself (or anywhere on the line) adds the stack trace
        cl.setExecutionExceptionHandler((ex, failed, parsed) -> ErrorReport.report(ex, failed.getErr(),
                parsed.originalArgs().contains("--verbose")));
        return cl;
    }

    /** No command: the demo. */
    @Override
    protected int run() throws IOException {
        return Demo.run(out(), err());
    }
}
