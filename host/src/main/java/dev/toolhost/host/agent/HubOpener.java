package dev.toolhost.host.agent;

import dev.toolhost.config.LoadedConfig;
import dev.toolhost.mcp.client.ToolHub;

/** Starts the hub (built-in tools plus configured MCP servers) that one agent run uses. */
@FunctionalInterface
public interface HubOpener {

    /** @throws Exception with a user-facing message when a required server cannot start */
    ToolHub open(LoadedConfig config) throws Exception;
}
