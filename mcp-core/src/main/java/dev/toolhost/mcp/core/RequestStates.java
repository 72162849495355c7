package dev.toolhost.mcp.core;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens {@code requestState} (2026-07-28 {@code basic/patterns/mrtr}): the state travels through
 * the client, so it is encrypted and authenticated (AES-256-GCM), expires, and is bound to the request it
 * was issued for (method, name, a digest of the arguments) and to the caller. Nothing is kept on the
 * server, so a retry may land on any replica that was given the same key.
 *
 * <p>Wire form: base64url of a 12-byte nonce followed by the GCM ciphertext of a JSON object
 * {@code {"exp": epochMillis, "bind": "...", "data": {...}}}.
 */
public final class RequestStates {
    private static final String AAD = "toolhost-request-state-v1";
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

    private final SecretKeySpec key;
    private final boolean shared;
    private final Duration ttl;
    private final Clock clock;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final SecureRandom random = new SecureRandom();

    private RequestStates(byte[] key, boolean shared, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(key, "AES");
        this.shared = shared;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A key derived from {@code secret} (SHA-256), for replicas that must open each other's states. */
    public static RequestStates fromSecret(String secret, Duration ttl, Clock clock) {
        return new RequestStates(sha256(secret.getBytes(StandardCharsets.UTF_8)), true, ttl, clock);
    }

    /** A random key: only this process can open the states it seals. */
    public static RequestStates random(Duration ttl, Clock clock) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new RequestStates(k, false, ttl, clock);
    }

    /** The request (and caller) a state belongs to: a retry must match it exactly. */
    public static String binding(McpRequest request) {
        String args;
        try {
            args = HexFormat.of().formatHex(sha256(json().writeValueAsBytes(canonical(request.arguments()))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String caller = request.meta() == null ? "" : request.meta().caller().key();
        return request.method() + "\n" + request.name() + "\n" + args + "\n" + caller;
    }

    /** Seals {@code data} (JSON values) for {@code request}. */
    public String seal(McpRequest request, Map<String, Object> data) {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("exp", clock.millis() + ttl.toMillis());
        plain.put("bind", binding(request));
        plain.put("data", data);
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(json.writeValueAsBytes(plain));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot seal requestState: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the state a retry echoed.
     *
     * @throws InvalidRequestStateException when it was tampered with, sealed with another key, expired,
     *                                      or belongs to another request or caller
     */
    public Map<String, Object> open(McpRequest request) throws InvalidRequestStateException {
        String state = request.requestState();
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestStateException("requestState is not one this server issued (not base64url)");
        }
        if (raw.length < 12 + 16) {
            throw new InvalidRequestStateException("requestState is not one this server issued (too short)");
        }
        Map<String, Object> plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 0, 12));
            c.updateAAD(AAD.getBytes(StandardCharsets.UTF_8));
            plain = json.readValue(c.doFinal(raw, 12, raw.length - 12), MAP);
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidRequestStateException("requestState was altered or was sealed by another server"
                    + (shared
                            ? " with a different key"
                            : " (replicas that share retries need the same" + " --request-state-key-env secret)"));
        }
        if (!(plain.get("exp") instanceof Number exp) || exp.longValue() < clock.millis()) {
            throw new InvalidRequestStateException("requestState has expired (it is valid for " + ttl.toSeconds()
                    + " s); call the tool again without it");
        }
        if (!binding(request).equals(plain.get("bind"))) {
            throw new InvalidRequestStateException("requestState belongs to a different request or caller; a retry"
                    + " must repeat the same tool, arguments and credentials");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = plain.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return data;
    }

    /** A state that cannot be used; the message says why, for the caller. */
    public static final class InvalidRequestStateException extends Exception {
        public InvalidRequestStateException(String message) {
            super(message);
        }
    }

    private static McpJsonMapper json() {
        return McpJsonDefaults.getMapper();
    }

    /** Maps with sorted keys, recursively, so equal arguments always digest the same. */
    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(RequestStates::canonical).toList();
        }
        return value;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
