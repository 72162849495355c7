package dev.toolhost.host.model;

import dev.toolhost.config.ModelProviderConfig;
import dev.toolhost.config.WireApi;
import java.net.http.HttpClient;
import java.util.Map;

/** Picks the client for a provider's {@code wire_api}. */
public final class ModelClients {
    private ModelClients() {}

    public static ModelClient create(ModelProviderConfig provider, Map<String, String> env) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(ModelHttp.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        ModelHttp modelHttp = new ModelHttp(http, provider, env);
        return provider.wireApi() == WireApi.CHAT
                ? new ChatCompletionsClient(modelHttp)
                : new ResponsesApiClient(modelHttp);
    }
}
