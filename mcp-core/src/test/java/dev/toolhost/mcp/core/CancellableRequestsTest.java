package dev.toolhost.mcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** notifications/cancelled reaches exactly the request it names, in its own scope, while it runs. */
class CancellableRequestsTest {
    private final CancellableRequests requests = new CancellableRequests();

    @Test
    void aCancellationStopsTheNamedRequestOnly() {
        CompletableFuture<String> seven = requests.track("session-a", 7, new CompletableFuture<>());
        CompletableFuture<String> eight = requests.track("session-a", 8, new CompletableFuture<>());

        assertTrue(requests.cancel("session-a", 7));

        assertTrue(seven.isCancelled());
        assertFalse(eight.isDone());
    }

    @Test
    void anotherScopesIdsAreNotReached() {
        CompletableFuture<String> mine = requests.track("session-a", 7, new CompletableFuture<>());

        assertFalse(requests.cancel("session-b", 7));
        assertFalse(mine.isDone());
    }

    @Test
    void anEndedScopeStopsAllItsRequestsAndNoOtherScopes() {
        CompletableFuture<String> seven = requests.track("session-a", 7, new CompletableFuture<>());
        CompletableFuture<String> named = requests.track("session-a", "x", new CompletableFuture<>());
        CompletableFuture<String> other = requests.track("session-ab", 7, new CompletableFuture<>());

        assertEquals(2, requests.cancelAll("session-a"));
        assertTrue(seven.isCancelled() && named.isCancelled());
        assertFalse(other.isCancelled(), "a scope whose name starts with the ended one's is another scope");
        assertEquals(0, requests.cancelAll("session-a"));
    }

    @Test
    void numericAndStringIdsNameTheSameRequest() {
        CompletableFuture<String> call = requests.track("stdio", 7, new CompletableFuture<>());

        assertTrue(requests.cancel("stdio", "7"));
        assertTrue(call.isCancelled());
    }

    @Test
    void aFinishedRequestIsNoLongerCancellable() {
        CompletableFuture<String> call = requests.track("stdio", "a", new CompletableFuture<>());
        call.complete("done");

        assertFalse(requests.cancel("stdio", "a"));
        assertFalse(call.isCancelled());
    }

    @Test
    void aRegisteredActionRunsOnceAndUnregistering() {
        int[] runs = {0};
        Runnable unregister = requests.register(null, 1, () -> runs[0]++);
        assertTrue(requests.cancel(null, 1));
        assertFalse(requests.cancel(null, 1));
        assertEquals(1, runs[0]);

        requests.register(null, 2, () -> runs[0]++).run();
        assertFalse(requests.cancel(null, 2));
        assertEquals(1, runs[0]);
        unregister.run();
    }

    @Test
    void readsTheRequestIdOfACancellationOnly() {
        var cancelled = new McpSchema.JSONRPCNotification(
                McpSchema.JSONRPC_VERSION, CancellableRequests.CANCELLED, Map.of("requestId", 3));
        var other = new McpSchema.JSONRPCNotification(
                McpSchema.JSONRPC_VERSION, "notifications/progress", Map.of("requestId", 3));

        assertEquals(3, CancellableRequests.cancelledRequestId(cancelled));
        assertNull(CancellableRequests.cancelledRequestId(other));
    }
}
