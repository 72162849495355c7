import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The least a JVM between an MCP client and a stdio server can do: copy each line from stdin to the child and from
 * the child to stdout, with ({@code json}) or without ({@code raw}) parsing it and writing it back out with Jackson.
 * No ids, names or sessions: it only works because the client calls the server's own tool names. bench/gateway-ceiling.sh
 * runs it beside the gateway to show how far any JVM in the middle can get on this machine.
 *
 * <p>Usage: {@code java -cp toolhost-all.jar:CLASSES StdioRelay raw|json COMMAND ARGS...}
 */
public class StdioRelay {
    public static void main(String[] args) throws Exception {
        boolean json = args[0].equals("json");
        String[] command = java.util.Arrays.copyOfRange(args, 1, args.length);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ObjectMapper mapper = new ObjectMapper();
        Thread up = new Thread(() -> pump(System.in, child.getOutputStream(), mapper, json));
        Thread down = new Thread(() -> pump(child.getInputStream(), System.out, mapper, json));
        up.start();
        down.start();
        down.join();
    }

    private static void pump(InputStream in, OutputStream out, ObjectMapper mapper, boolean json) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 65536);
                OutputStream buffered = new BufferedOutputStream(out, 65536)) {
            String line;
            while ((line = reader.readLine()) != null) {
                byte[] bytes = json
                        ? mapper.writeValueAsBytes((ObjectNode) mapper.readTree(line))
                        : line.getBytes(StandardCharsets.UTF_8);
                buffered.write(bytes);
                buffered.write('\n');
                buffered.flush();
            }
        } catch (IOException e) {
            // the peer went away: so does the relay
        }
    }
}
