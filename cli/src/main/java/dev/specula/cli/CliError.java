package dev.specula.cli;

/**
 * A problem the user can fix (wrong path, incompatible models, bad option combination). Its message
 * is printed as is, on one line, and the command exits with code 2.
 */
public final class CliError extends RuntimeException {
    public CliError(String message) {
        super(message);
    }

    public CliError(String message, Throwable cause) {
        super(message, cause);
    }
}
