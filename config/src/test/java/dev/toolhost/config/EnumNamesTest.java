package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnumNamesTest {
    @Test
    void wireNamesRoundTrip() {
        for (SandboxMode m : SandboxMode.values()) {
            assertEquals(m, SandboxMode.fromWireName(m.wireName()));
        }
        for (ApprovalPolicy p : ApprovalPolicy.values()) {
            assertEquals(p, ApprovalPolicy.fromWireName(p.wireName()));
        }
        assertThrows(IllegalArgumentException.class, () -> SandboxMode.fromWireName("readonly"));
    }
}
