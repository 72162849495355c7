package dev.toolhost.host;

import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"toolhost " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
}
