package dev.toolhost.config;

/** The HTTP API shape a model provider speaks. */
public enum WireApi {
    RESPONSES("responses"),
    CHAT("chat");

    private final String wireName;

    WireApi(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static WireApi fromWireName(String name) {
        for (WireApi w : values()) {
            if (w.wireName.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
