package dev.toolhost.host;

import picocli.CommandLine;

/** Toolhost's version, from the shaded jar's manifest (the Maven project version). */
final class Version implements CommandLine.IVersionProvider {
    /** The version, or 0.1.0-SNAPSHOT when running from classes rather than the jar. */
    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"toolhost " + current()};
    }
}
