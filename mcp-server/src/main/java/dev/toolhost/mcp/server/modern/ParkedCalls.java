package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import dev.toolhost.mcp.core.RequestStates;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The gateway's bridge from a legacy downstream server to a 2026-07-28 (stateless) caller (spec
 * {@code basic/patterns/mrtr}, "Bridging"): when the downstream server sends {@code elicitation/create},
 * {@code sampling/createMessage} or (under {@code forward_roots}) {@code roots/list} in the middle of a
 * {@code tools/call}, {@code prompts/get} or {@code resources/read}, the downstream request is parked here (the
 * server's request waits, at most {@code wait}), the caller gets an {@code input_required} result whose
 * {@code inputRequests} carries the downstream request and whose {@code requestState} names the parked call
 * (sealed by {@link RequestStates}: bound to the request and the caller), and the caller's retry hands its answer
 * to the waiting request and picks the call up again, for as many rounds as the server asks. Each answer is checked
 * first ({@link InputResponseCheck}): a malformed one is refused (-32602) and the call stays parked for a corrected
 * retry.
 *
 * <p>A parked call lives in this process only: a retry must reach the same replica (affinity), and one that
 * reaches another gets an error saying so. A parked call is keyed to its caller: a retry from anyone else
 * (another bearer token) cannot resume it. A request left unanswered for {@code wait} fails downstream and the
 * parked call is dropped.
 *
 * <p>A legacy server that asks several things at once (the TypeScript SDK sends a round's requests together) has
 * them put to the caller in one round: a round is answered {@link #GATHER} after its first request arrives, with
 * every request the server made by then. The legacy wire does not say how many are coming, so this is a wait, not
 * a count; it costs each round that much latency.
 */
final class ParkedCalls {
    /** Marks a {@code requestState} as a parked call's (a downstream server's own states pass through unmarked). */
    static final String STATE_PREFIX = "toolhost-parked.";

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

    /** How long a round waits, after the server's first request, for the others it sends together. */
    static final Duration GATHER = Duration.ofMillis(200);

    private final Map<String, Parked> parked = new ConcurrentHashMap<>();
    private final RequestStates states;
    private final Duration wait;
    private final McpJsonMapper json;

    ParkedCalls(RequestStates states, Duration wait, McpJsonMapper json) {
        this.states = Objects.requireNonNull(states);
        this.wait = wait;
        this.json = json;
    }

    static boolean isParkedState(String requestState) {
        return requestState != null && requestState.startsWith(STATE_PREFIX);
    }

    /** Ends every parked call: its server's waiting requests fail at once rather than at the end of the wait. */
    void close() {
        List.copyOf(parked.values()).forEach(p -> p.abandon("Toolhost is shutting down"));
    }

    /** Parked calls right now (for tests and diagnostics). */
    int size() {
        return parked.size();
    }

    /**
     * Runs a first-round request ({@code tools/call}, {@code prompts/get}, {@code resources/read}): {@code call} starts
     * it with the context to use (its server's requests may park it).
     *
     * @return the request's outcome, or input-required when the downstream server asked something first
     */
    <T> CompletableFuture<Outcome<T>> start(
            McpRequest request, RequestStream sink, Function<CallContext, CompletableFuture<Outcome<T>>> call) {
        Parked p = new Parked(UUID.randomUUID().toString(), request);
        p.sink = sink;
        p.call = call.apply(
                new CallContext(pr -> p.sink().progress(pr), l -> p.sink().log(l), p));
        return leg(request, p);
    }

    /**
     * Resumes the call a retry's {@code requestState} names, handing it {@code inputResponses}.
     *
     * @throws ModernError (-32602) when the state is not valid for this request and caller, or when the call is not
     *                     parked here (another replica holds it, or it ended or expired)
     */
    <T> CompletableFuture<Outcome<T>> resume(McpRequest request, RequestStream sink) throws ModernError {
        McpRequest sealed = new McpRequest(
                request.method(),
                request.params(),
                request.meta(),
                request.inputResponses(),
                request.requestState().substring(STATE_PREFIX.length()));
        String id;
        Object round;
        try {
            Map<String, Object> opened = states.open(sealed);
            id = String.valueOf(opened.get("parked"));
            round = opened.get("round");
        } catch (RequestStates.InvalidRequestStateException e) {
            throw ModernError.invalidParams("Invalid params: " + e.getMessage());
        }
        Parked p = parked.get(id);
        if (p != null
                && p.callerKey.equals(request.meta().caller().key())
                && !(p.first.method().equals(request.method())
                        && p.first.params().equals(request.params()))) {
            // The seal binds the method, a name and the arguments; this also holds a resources/read to its uri.
            throw ModernError.invalidParams("Invalid params: requestState belongs to a different request; a retry"
                    + " must repeat the same request");
        }
        if (p == null || !p.callerKey.equals(request.meta().caller().key())) {
            throw ModernError.invalidParams("Invalid params: the call this retry continues is not waiting on this"
                    + " Toolhost: it ended, waited longer than " + wait.toSeconds() + " s for its answer, or is"
                    + " parked on another replica (retries of one call must reach the replica that answered it:"
                    + " configure session affinity on the load balancer); call the tool again without requestState");
        }
        int r = round instanceof Number n ? n.intValue() : -1;
        if (r != p.issued.get()) {
            throw ModernError.invalidParams("Invalid params: this requestState is from an earlier round of this call;"
                    + " retry with the requestState of the latest input_required result");
        }
        // Checked before anything changes: a malformed answer leaves the call parked for a corrected retry.
        Map<String, Object> answers = p.checked(request.inputResponses());
        if (!p.taken.compareAndSet(r - 1, r)) {
            throw ModernError.invalidParams("Invalid params: another retry with this requestState already continued"
                    + " this call; retry with the requestState of the latest input_required result");
        }
        p.sink = sink;
        p.meta = request.meta();
        p.answer(answers);
        return leg(request, p);
    }

    /**
     * Waits for what comes first: the call's end, or a request from the server (then the call stays parked). The
     * parked call's result type is the one its first round had: the sealed state binds the method, and
     * {@link #resume} checks the request is the same.
     */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<Outcome<T>> leg(McpRequest request, Parked p) {
        CompletableFuture<Outcome<T>> out = new CompletableFuture<>();
        ((CompletableFuture<Outcome<T>>) p.call).whenComplete((o, e) -> {
            if (out.isDone()) {
                return; // this round ended with a question; the next round takes the result
            }
            parked.remove(p.id); // before the caller can see the result
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(o);
            }
        });
        p.nextRound().thenAccept(round -> {
            if (out.isDone()) {
                return;
            }
            Map<String, InputRequest> asked = new LinkedHashMap<>();
            round.forEach(q -> asked.put(q.key(), q.request()));
            if (round.stream().anyMatch(q -> request.meta().missingCapability(q.request()) != null)) {
                // Nobody can answer it: the call ends here, and the caller is told what it would need (-32021).
                out.complete(new Outcome.InputRequired<>(asked, null));
                p.abandon("the MCP client calling through Toolhost did not declare the capability this needs");
                return;
            }
            parked.put(p.id, p);
            String state =
                    STATE_PREFIX + states.seal(request, Map.of("parked", p.id, "round", p.issued.incrementAndGet()));
            if (out.complete(new Outcome.InputRequired<>(asked, state))) {
                p.sink = null; // between rounds, the call's notifications have no request to go to
            }
        });
        out.whenComplete((o, e) -> {
            if (out.isCancelled()) {
                p.abandon("the caller cancelled the request");
            }
        });
        return out;
    }

    /** One downstream server request waiting for the caller's answer. */
    private record Question(String key, InputRequest request, CompletableFuture<Object> answer) {}

    /** One parked downstream call, and the handler its server's requests reach. */
    private final class Parked implements ServerRequestHandler {
        final String id;
        final String callerKey;
        /** The first round: a retry must repeat its method and params. */
        final McpRequest first;

        volatile RequestStream sink;
        /** What the current round says about the caller (a retry's capabilities may differ from the first's). */
        volatile RequestMeta meta;

        volatile CompletableFuture<? extends Outcome<?>> call;

        /** The last round put to the caller (its state carries the number), and the last one a retry took. */
        final AtomicInteger issued = new AtomicInteger();

        final AtomicInteger taken = new AtomicInteger();

        /** Numbers the server's requests: each one's key is its kind and number ({@code elicitation-1}). */
        private final AtomicInteger requests = new AtomicInteger();
        /** The server's requests not answered yet, in the order it made them. */
        private final List<Question> pending = new ArrayList<>();
        /** The round being gathered for the caller, or null while one is out with it. */
        private CompletableFuture<List<Question>> round = new CompletableFuture<>();

        Parked(String id, McpRequest first) {
            this.id = id;
            this.first = first;
            this.callerKey = first.meta().caller().key();
            this.meta = first.meta();
        }

        RequestStream sink() {
            RequestStream s = sink;
            return s == null ? DROPPED : s;
        }

        /**
         * The next round: the requests unanswered now and those the server makes within {@link #GATHER} of the
         * round's first.
         */
        synchronized CompletableFuture<List<Question>> nextRound() {
            if (round == null) {
                round = new CompletableFuture<>();
                if (!pending.isEmpty()) {
                    closeRoundSoon();
                }
            }
            return round;
        }

        /** Holding this: the open round goes to the caller {@link #GATHER} from now, with what is pending then. */
        private void closeRoundSoon() {
            CompletableFuture<List<Question>> open = round;
            CompletableFuture.delayedExecutor(GATHER.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        synchronized (this) {
                            if (open == round && !pending.isEmpty()) {
                                round = null;
                                open.complete(List.copyOf(pending));
                            }
                        }
                    });
        }

        /**
         * The answers {@code responses} (may be null) holds for pending requests, each typed as its request needs
         * (see {@link InputResponseCheck}); keys of no pending request are ignored.
         *
         * @throws ModernError -32602 naming the first malformed answer
         */
        synchronized Map<String, Object> checked(Map<String, Object> responses) throws ModernError {
            Map<String, Object> typed = new LinkedHashMap<>();
            for (Question q : pending) {
                if (responses != null && responses.containsKey(q.key())) {
                    typed.put(q.key(), InputResponseCheck.typed(q.key(), q.request(), responses.get(q.key()), json));
                }
            }
            return typed;
        }

        /** Answers the requests whose keys {@code answers} holds; the others stay pending and are asked again. */
        synchronized void answer(Map<String, Object> answers) {
            for (Iterator<Question> i = pending.iterator(); i.hasNext(); ) {
                Question q = i.next();
                if (answers.containsKey(q.key())) {
                    i.remove();
                    q.answer().complete(answers.get(q.key()));
                }
            }
        }

        void abandon(String why) {
            parked.remove(id);
            List<Question> unanswered;
            synchronized (this) {
                unanswered = List.copyOf(pending);
                pending.clear();
            }
            unanswered.forEach(q -> q.answer().completeExceptionally(new IllegalStateException(why)));
            CompletableFuture<?> c = call;
            if (c != null) {
                c.cancel(true);
            }
        }

        /**
         * Runs on a thread of the downstream connection that may block (one per server request); returns the caller's
         * answer as {@link #checked} typed it.
         */
        private Object ask(InputRequest request) {
            Question q = new Question(
                    keyFor(request) + "-" + requests.incrementAndGet(), request, new CompletableFuture<>());
            synchronized (this) {
                pending.add(q);
                if (round != null && pending.size() == 1) {
                    closeRoundSoon();
                }
            }
            try {
                return q.answer().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // The server hears why (it may still end its call cleanly); a late retry is told it is gone.
                parked.remove(id);
                synchronized (this) {
                    pending.remove(q);
                }
                throw new IllegalStateException("the MCP client calling through Toolhost did not answer this "
                        + request.method() + " within " + wait.toSeconds() + " s; the call was abandoned");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the caller's answer");
            }
        }

        @Override
        public String callerKey() {
            return callerKey;
        }

        @Override
        public synchronized boolean awaitingAnswer() {
            return !pending.isEmpty();
        }

        @Override
        public synchronized boolean gathering() {
            return round != null && !pending.isEmpty();
        }

        /** The request's params as the caller sees them: its {@code _meta} was for the hub's connection. */
        private Map<String, Object> params(Object request) {
            Map<String, Object> params = new LinkedHashMap<>(json.convertValue(request, MAP));
            params.remove("_meta");
            return params;
        }

        @Override
        public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
            return (McpSchema.ElicitResult) ask(new InputRequest(InputRequest.ELICITATION, params(request)));
        }

        @Override
        public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
            return (McpSchema.CreateMessageResult) ask(new InputRequest(InputRequest.SAMPLING, params(request)));
        }

        /** Asked of the caller only when its request declared roots; else none (never anyone else's). */
        @Override
        public McpSchema.ListRootsResult listRoots(String server) {
            if (!meta.canListRoots()) {
                return NO_ROOTS;
            }
            return (McpSchema.ListRootsResult) ask(new InputRequest(InputRequest.ROOTS, Map.of()));
        }
    }

    private static String keyFor(InputRequest r) {
        return switch (r.method()) {
            case InputRequest.ELICITATION -> "elicitation";
            case InputRequest.SAMPLING -> "sampling";
            default -> "roots";
        };
    }

    /** Where notifications of a parked call go between rounds: nowhere. */
    private static final RequestStream DROPPED =
            new RequestStream(new RequestMeta(null, null, null, null, Map.of(), null, null), m -> {});
}
