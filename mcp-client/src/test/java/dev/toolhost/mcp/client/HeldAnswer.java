package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** A caller who answers a server's elicitation only when the test says so (a person taking their time). */
final class HeldAnswer implements ServerRequestHandler {
    private final CountDownLatch asked = new CountDownLatch(1);
    private final CompletableFuture<McpSchema.ElicitResult> answer = new CompletableFuture<>();

    boolean asked() {
        return asked.getCount() == 0;
    }

    /** Accepts the question with {@code content}. */
    void accept(Map<String, Object> content) {
        answer.complete(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, content));
    }

    @Override
    public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
        asked.countDown();
        return answer.join();
    }

    @Override
    public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
        throw new UnsupportedOperationException();
    }
}
