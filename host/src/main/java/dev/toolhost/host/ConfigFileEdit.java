package dev.toolhost.host;

import dev.toolhost.config.AtomicFiles;
import dev.toolhost.config.ConfigException;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * One edit of the config file by {@code mcp add/remove}: read it (an invalid file is refused before
 * anything changes), change the text, check the result loads, write it atomically.
 */
final class ConfigFileEdit {
    private final Path file;
    private final String text;
    private final LoadedConfig current;

    private ConfigFileEdit(Path file, String text, LoadedConfig current) {
        this.file = file;
        this.text = text;
        this.current = current;
    }

    static ConfigFileEdit open(Path file) {
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw UserError.failed(file + ": cannot read the config file: " + e.getMessage());
        }
        try {
            return new ConfigFileEdit(file, text, ConfigLoader.load(ConfigRequest.ofFile(file), text));
        } catch (ConfigException e) {
            throw UserError.usage(e.getMessage() + "\n(fix the config file before editing it with toolhost mcp)");
        }
    }

    String text() {
        return text;
    }

    /** The file's config alone (no profile, overrides or flags). */
    LoadedConfig current() {
        return current;
    }

    Path file() {
        return file;
    }

    /** Applies {@code change} to the text, checks that the result loads, and writes it. */
    LoadedConfig write(UnaryOperator<String> change) {
        String updated = change.apply(text);
        LoadedConfig result;
        try {
            result = ConfigLoader.load(ConfigRequest.ofFile(file), updated);
        } catch (ConfigException e) {
            throw UserError.failed(
                    "the edited config would not load, so " + file + " was left unchanged: " + e.getMessage());
        }
        try {
            AtomicFiles.writeString(file, updated);
        } catch (IOException e) {
            throw UserError.failed(file + ": cannot write the config file: " + e.getMessage());
        }
        return result;
    }
}
