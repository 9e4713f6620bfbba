package dev.specula.engine.model;

/** The GGUF {@code general.architecture} is not one the engine implements. */
public final class UnsupportedArchitectureException extends InvalidModelException {
    private final String architecture;

    public UnsupportedArchitectureException(String source, String architecture) {
        super(source + ": unsupported model architecture '" + architecture + "'; supported: "
                + String.join(", ", ModelConfig.SUPPORTED_ARCHITECTURES));
        this.architecture = architecture;
    }

    public String architecture() {
        return architecture;
    }
}
