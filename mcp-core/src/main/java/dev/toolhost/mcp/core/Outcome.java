package dev.toolhost.mcp.core;

import java.util.Map;

/**
 * How a request ended: complete (a result), or input-required: the server needs answers to
 * {@code inputRequests} and the caller retries with them (2026-07-28 {@code basic/patterns/mrtr},
 * {@code resultType: "input_required"}).
 */
public sealed interface Outcome<R> permits Outcome.Complete, Outcome.InputRequired {

    static <R> Outcome<R> complete(R result) {
        return new Complete<>(result);
    }

    record Complete<R>(R result) implements Outcome<R> {}

    /**
     * @param inputRequests server-chosen keys to requests ({@code elicitation/create}, {@code sampling/createMessage},
     *                      {@code roots/list}); the retry answers under the same keys
     * @param requestState  opaque, echoed byte-exact by the retry; null when the server keeps none
     */
    record InputRequired<R>(Map<String, InputRequest> inputRequests, String requestState) implements Outcome<R> {
        public InputRequired {
            inputRequests = Map.copyOf(inputRequests);
        }

        /** The same request, typed for another result (input-required carries no result). */
        @SuppressWarnings("unchecked")
        public <T> InputRequired<T> retyped() {
            return (InputRequired<T>) this;
        }
    }
}
