package dev.toolhost.mcp.client;

import dev.toolhost.mcp.core.InputRequest;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers an input request (an MRTR {@code inputRequests} entry) through a {@link ServerRequestHandler}:
 * the typed request goes to the handler, its typed result comes back as the JSON value a retry carries.
 */
final class InputAnswers {
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

    /**
     * Answers wait for people (an approval may take minutes), so they get threads of their own: on the common
     * fork-join pool (one thread on two cores) one waiting approval would hold up every other.
     */
    private static final ExecutorService WAITING = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "toolhost-input-answer");
        t.setDaemon(true);
        return t;
    });

    private InputAnswers() {}

    /**
     * Runs off the caller's thread: a handler may block for a person's answer.
     *
     * @param asker the name the request is shown under (a server name, or a tool's)
     */
    static CompletableFuture<Object> answer(ServerRequestHandler handler, String asker, InputRequest request) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        return CompletableFuture.supplyAsync(
                () -> switch (request.method()) {
                    case InputRequest.ELICITATION ->
                        json.convertValue(handler.elicit(asker, elicitRequest(json, request)), MAP);
                    case InputRequest.SAMPLING ->
                        json.convertValue(
                                handler.sample(
                                        asker,
                                        json.convertValue(request.params(), McpSchema.CreateMessageRequest.class)),
                                MAP);
                    case InputRequest.ROOTS -> json.convertValue(handler.listRoots(asker), MAP);
                    default ->
                        throw new UnsupportedOperationException("'" + asker + "' asked for " + request.method()
                                + ", which Toolhost does not answer here");
                },
                WAITING);
    }

    private static McpSchema.ElicitRequest elicitRequest(McpJsonMapper json, InputRequest request) {
        return "url".equals(request.params().get("mode"))
                ? json.convertValue(request.params(), McpSchema.ElicitUrlRequest.class)
                : json.convertValue(request.params(), McpSchema.ElicitFormRequest.class);
    }
}
