package dev.toolhost.host.agent;

import dev.toolhost.config.ModelProviderConfig;
import dev.toolhost.config.Redact;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.host.model.ModelClient;
import dev.toolhost.host.model.ModelClients;
import dev.toolhost.host.model.ModelException;
import dev.toolhost.host.model.ModelHttp;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/** The model an agent run talks to: its name and provider, checked before anything starts. */
public record AgentSetup(String model, ModelProviderConfig provider) {

    /**
     * Resolves the model and provider, or explains exactly how to configure them.
     *
     * @param modelOverride {@code --model}, or null to use the config's {@code model}
     * @param configFile    the config file the user would edit, named in the message; null when the one asking is
     *                      an MCP client of {@code toolhost mcp-server}, who can neither edit the server's config nor
     *                      pass its flags: the message then says the server's owner must configure the model
     */
    public static AgentSetup resolve(
            ToolhostConfig config, String modelOverride, Map<String, String> env, Path configFile)
            throws SetupException {
        String model = modelOverride != null && !modelOverride.isBlank() ? modelOverride : config.model();
        if (model == null || model.isBlank()) {
            throw new SetupException(noModel(config, configFile));
        }
        String id = config.modelProvider() == null ? "openai" : config.modelProvider();
        ModelProviderConfig provider = config.modelProviders().get(id);
        if (provider == null) {
            throw new SetupException("model_provider '" + id + "' is not defined: add a [model_providers." + id
                    + "] table with base_url (and env_key, wire_api = \"responses\" or \"chat\") to "
                    + (configFile == null ? "this MCP server's config" : configFile)
                    + (config.modelProviders().isEmpty()
                            ? ""
                            : ", or use one of: "
                                    + String.join(
                                            ", ",
                                            new TreeSet<>(
                                                    config.modelProviders().keySet()))));
        }
        try {
            ModelHttp.apiKey(provider, env);
        } catch (ModelException e) {
            throw new SetupException(e.getMessage());
        }
        return new AgentSetup(model, provider);
    }

    public ModelClient client(Map<String, String> env) {
        return ModelClients.create(provider, env);
    }

    private static String noModel(ToolhostConfig config, Path configFile) {
        if (configFile == null) {
            return "no model is configured on this MCP server: its owner must set one (`model`, and `model_provider`"
                    + " for a provider other than OpenAI) in the server's config; a call may name a model in the"
                    + " agent tool's `model` argument, served by the server's provider";
        }
        StringBuilder s = new StringBuilder("no model is configured. Set one in ")
                .append(configFile)
                .append(":\n")
                .append(
                        "    model = \"gpt-5\"                 # OpenAI (the default provider); export OPENAI_API_KEY\n");
        if (config.modelProviders().containsKey("ollama")) {
            s.append("or, for a local Ollama at ")
                    .append(Redact.url(config.modelProviders().get("ollama").baseUrl()))
                    .append(":\n")
                    .append("    model = \"llama3.2\"\n    model_provider = \"ollama\"\n");
        }
        s.append("or pass --model NAME (with -c model_provider=ID to pick a provider) for one run.");
        return s.toString();
    }

    /** The model cannot be used as configured; the message says how to fix it. */
    public static final class SetupException extends Exception {
        public SetupException(String message) {
            super(message);
        }
    }
}
