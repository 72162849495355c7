package dev.toolhost.config;

import java.util.Map;

/**
 * One {@code [model_providers.<id>]} table.
 *
 * @param envKey name of the environment variable holding the API key, or null for none
 */
public record ModelProviderConfig(
        String id,
        String name,
        String baseUrl,
        String envKey,
        WireApi wireApi,
        Map<String, String> httpHeaders,
        Map<String, String> envHttpHeaders,
        int requestMaxRetries,
        long streamIdleTimeoutMs,
        Map<String, String> queryParams) {

    public ModelProviderConfig {
        httpHeaders = Map.copyOf(httpHeaders);
        envHttpHeaders = Map.copyOf(envHttpHeaders);
        queryParams = Map.copyOf(queryParams);
    }
}
