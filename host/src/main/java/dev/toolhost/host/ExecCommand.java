package dev.toolhost.host;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.host.agent.AgentLoop;
import dev.toolhost.host.agent.AgentSetup;
import dev.toolhost.host.agent.AgentThread;
import dev.toolhost.host.agent.ProgressPrinter;
import dev.toolhost.host.agent.ThreadEvent;
import dev.toolhost.host.agent.ThreadStore;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        subcommands = ExecCommand.Resume.class,
        description = {
            "Run the agent headlessly on a prompt.",
            "Human mode prints progress on stderr and the final message on stdout; --json prints only JSONL"
                    + " events on stdout. Exit codes: 0 done, 1 the turn failed, 2 usage or configuration"
                    + " error, 130 interrupted, 141 stdout was closed (the turn is cancelled as by Ctrl-C)."
        })
final class ExecCommand implements Callable<Integer>, JsonFailure {
    static final int INTERRUPTED = 130;
    /** As a process killed by SIGPIPE: stdout's reader went away, so the turn was cancelled. */
    static final int STDOUT_CLOSED = 141;

    @Mixin
    GlobalOptions global;

    @Mixin
    ExecOptions options;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PROMPT",
            description = "The prompt; - reads it from stdin, as does no PROMPT when stdin is not a terminal.")
    String prompt;

    @Override
    public Integer call() {
        return new Run(global, options).execute(null, prompt);
    }

    @Override
    public boolean jsonRequested() {
        return options.json;
    }

    /** The {@code error} event. */
    @Override
    public String jsonFailure(String message, int exitCode) {
        return new ThreadEvent.ErrorEvent(message).toJsonLine();
    }

    /** Options shared by {@code exec} and {@code exec resume}. */
    static final class ExecOptions {
        @Option(
                names = "--json",
                description = "Print JSONL events on stdout and nothing else; a failure before the turn (usage,"
                        + " config, no thread to resume) is one error event, besides the message on stderr.")
        boolean json;

        @Option(
                names = {"-o", "--output-last-message"},
                paramLabel = "FILE",
                description = "Also write the agent's final message to FILE.")
        Path outputLastMessage;

        @Option(
                names = {"-m", "--model"},
                paramLabel = "MODEL",
                description = "Model to use (overrides config).")
        String model;

        @Option(
                names = "--full-auto",
                description = "Codex's deprecated shortcut for --sandbox workspace-write (prints a reminder).")
        boolean fullAuto;

        @Option(
                names = {"--dangerously-bypass-approvals-and-sandbox", "--yolo"},
                description = "No sandbox and no approvals (-s danger-full-access -a never). Only in an"
                        + " environment that is itself isolated.")
        boolean bypass;

        @Option(
                names = "--skip-git-repo-check",
                description = "Accepted for Codex compatibility; Toolhost never requires a Git repository.")
        boolean skipGitRepoCheck;
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Continue a saved thread (its id is the thread_id printed by exec).")
    static final class Resume implements Callable<Integer>, JsonFailure {
        @ParentCommand
        ExecCommand parent;

        @Mixin
        GlobalOptions global;

        @Mixin
        ExecOptions options;

        @Option(
                names = "--last",
                description = "Continue the most recent thread started in this directory"
                        + " (-C or the current one); with --last the first argument is the PROMPT.")
        boolean last;

        @Option(names = "--all", description = "With --last: the most recent thread from any directory.")
        boolean all;

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "THREAD_ID",
                description = "The thread to continue (omit it with --last).")
        String threadId;

        @Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "PROMPT",
                description = "The next prompt; - reads stdin, as does no PROMPT when stdin is not a terminal.")
        String prompt;

        @Override
        public Integer call() {
            GlobalOptions g = merge(parent.global, global);
            ExecOptions o = merge(parent.options, options);
            if (!last) {
                if (all) {
                    throw UserError.usage("--all only applies with --last");
                }
                if (threadId == null) {
                    throw UserError.usage("missing THREAD_ID: give the thread_id printed by exec, or --last for the"
                            + " most recent thread");
                }
                return new Run(g, o).execute(threadId, prompt);
            }
            // As in Codex: with --last, a single positional argument is the prompt, not a thread id.
            if (threadId != null && prompt != null) {
                throw UserError.usage("--last picks the thread itself: give only the PROMPT, not a THREAD_ID");
            }
            Path dir = all
                    ? null
                    : g.request().cd() != null
                            ? Path.of("")
                                    .toAbsolutePath()
                                    .resolve(g.request().cd())
                                    .normalize()
                            : Path.of("").toAbsolutePath();
            String latest = ThreadStore.inToolhostHome()
                    .latest(dir)
                    .orElseThrow(() -> UserError.usage("no saved thread to resume"
                            + (dir == null ? "" : " in " + dir + " (--all looks in every directory)")));
            return new Run(g, o).execute(latest, threadId);
        }

        @Override
        public boolean jsonRequested() {
            return options.json || parent.options.json;
        }

        @Override
        public String jsonFailure(String message, int exitCode) {
            return parent.jsonFailure(message, exitCode);
        }

        /** Options given before {@code resume} count too; those after it win. */
        private static GlobalOptions merge(GlobalOptions before, GlobalOptions after) {
            GlobalOptions g = new GlobalOptions();
            g.overrides.addAll(before.overrides);
            g.overrides.addAll(after.overrides);
            g.profile = after.profile != null ? after.profile : before.profile;
            g.configFile = after.configFile != null ? after.configFile : before.configFile;
            g.cd = after.cd != null ? after.cd : before.cd;
            g.sandbox = after.sandbox != null ? after.sandbox : before.sandbox;
            g.approval = after.approval != null ? after.approval : before.approval;
            g.strict = after.strict || before.strict;
            return g;
        }

        private static ExecOptions merge(ExecOptions before, ExecOptions after) {
            ExecOptions o = new ExecOptions();
            o.json = after.json || before.json;
            o.outputLastMessage = after.outputLastMessage != null ? after.outputLastMessage : before.outputLastMessage;
            o.model = after.model != null ? after.model : before.model;
            o.fullAuto = after.fullAuto || before.fullAuto;
            o.bypass = after.bypass || before.bypass;
            o.skipGitRepoCheck = after.skipGitRepoCheck || before.skipGitRepoCheck;
            return o;
        }
    }

    /** One exec run: configure, start the hub, run a turn, report. */
    private static final class Run {
        private final GlobalOptions global;
        private final ExecOptions options;
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        /** The thread running the turn while it runs (guarded by itself), to interrupt when stdout goes. */
        private final Object turnLock = new Object();

        private Thread turnThread;
        private volatile boolean stdoutClosed;

        Run(GlobalOptions global, ExecOptions options) {
            this.global = global;
            this.options = options;
        }

        /** A UserError's {@code error} event (with --json) is printed by {@link Cli}, as for every failure. */
        int execute(String threadId, String promptArg) {
            String prompt = readPrompt(promptArg);
            ThreadStore store = ThreadStore.inToolhostHome();
            AgentThread thread = null;
            if (threadId != null) {
                try {
                    thread = store.load(threadId);
                } catch (ThreadStore.ThreadNotFoundException e) {
                    throw UserError.usage(e.getMessage());
                }
                if (global.cd == null && thread.cwd() != null && Files.isDirectory(thread.cwd())) {
                    global.cd = thread.cwd();
                }
            }
            applyCodexShortcuts();
            LoadedConfig loaded = global.load();
            String model = options.model != null
                    ? options.model
                    : thread != null && loaded.config().model() == null ? thread.model() : null;
            AgentSetup setup;
            try {
                setup = AgentSetup.resolve(loaded.config(), model, System.getenv(), global.configFile());
            } catch (AgentSetup.SetupException e) {
                throw UserError.usage(e.getMessage());
            }
            if (thread == null) {
                thread = store.create(loaded.config().cwd(), setup.model());
            }
            if (!options.json) {
                err.println("toolhost exec: thread " + thread.id() + ", model " + setup.model() + " via "
                        + setup.provider().id());
            }
            Consumer<ThreadEvent> events = options.json ? this::emitJson : new ProgressPrinter(err);
            // Approvals are asked on the terminal when a person is there, and declined otherwise.
            ServerRequestHandler approvals = new TerminalRequestHandler();

            CountDownLatch finished = new CountDownLatch(1);
            Thread worker = Thread.currentThread();
            // Ctrl-C: interrupt the turn (model request aborted, tool calls cancelled), then let it close the hub.
            Thread onSignal = new Thread(
                    () -> {
                        if (finished.getCount() > 0) {
                            worker.interrupt();
                            try {
                                finished.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    },
                    "toolhost-exec-interrupt");
            Runtime.getRuntime().addShutdownHook(onSignal);
            AgentLoop.TurnResult result;
            try {
                try (ToolHub hub = HubLauncher.launch(
                        loaded,
                        HubLauncher.Options.defaults()
                                .requestHandler(approvals)
                                .progress(!options.json && Terminal.personPresent()))) {
                    AgentLoop loop = new AgentLoop(
                            hub,
                            setup.client(System.getenv()),
                            setup.model(),
                            AgentLoop.defaultInstructions(loaded.config().cwd()),
                            approvals);
                    synchronized (turnLock) {
                        turnThread = worker;
                    }
                    try {
                        result = loop.runTurn(thread, prompt, events);
                    } finally {
                        synchronized (turnLock) {
                            turnThread = null;
                        }
                    }
                    // A cancelled turn leaves the interrupt flag set; clear it so closing the hub can wait for
                    // its children to end.
                    Thread.interrupted();
                }
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for us
                }
            }
            if (stdoutClosed) {
                err.println("toolhost exec: stdout was closed (its reader is gone): "
                        + (result.cancelled() ? "the turn was cancelled" : "the turn's last events were lost")
                        + "; resume with: toolhost exec resume " + result.threadId() + " PROMPT");
                return STDOUT_CLOSED;
            }
            if (result.cancelled()) {
                if (!options.json) {
                    err.println("interrupted; resume with: toolhost exec resume " + result.threadId() + " PROMPT");
                }
                return INTERRUPTED;
            }
            if (!result.ok()) {
                if (!options.json) {
                    err.println("error: " + result.error());
                }
                return Cli.FAILED;
            }
            if (options.outputLastMessage != null) {
                try {
                    Files.writeString(options.outputLastMessage, result.finalMessage(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw UserError.failed(
                            "cannot write --output-last-message " + options.outputLastMessage + ": " + e.getMessage());
                }
            }
            if (!options.json) {
                out.println(result.finalMessage());
                out.flush();
            }
            return Cli.OK;
        }

        /**
         * Codex's exec shortcuts, as Codex defines them: {@code --full-auto} is {@code -s workspace-write} (deprecated
         * there, with a reminder), {@code --dangerously-bypass-approvals-and-sandbox} is {@code -s danger-full-access
         * -a never}. They conflict with each other, and with an explicit {@code -s}/{@code -a} that says otherwise
         * (Codex lets the shortcut win; here a contradiction is an error, so nothing is widened silently).
         */
        private void applyCodexShortcuts() {
            if (options.fullAuto && options.bypass) {
                throw UserError.usage(
                        "--full-auto and --dangerously-bypass-approvals-and-sandbox cannot be used" + " together");
            }
            ConfigRequest given = global.request();
            if (options.fullAuto) {
                requireUnset(
                        "--full-auto",
                        "-s/--sandbox",
                        given.sandbox(),
                        SandboxMode.WORKSPACE_WRITE,
                        SandboxMode::wireName);
                err.println("warning: --full-auto is deprecated (as in Codex); use --sandbox workspace-write instead");
                global.sandbox = SandboxMode.WORKSPACE_WRITE.wireName();
            }
            if (options.bypass) {
                requireUnset(
                        "--dangerously-bypass-approvals-and-sandbox",
                        "-s/--sandbox",
                        given.sandbox(),
                        SandboxMode.DANGER_FULL_ACCESS,
                        SandboxMode::wireName);
                requireUnset(
                        "--dangerously-bypass-approvals-and-sandbox",
                        "-a/--ask-for-approval",
                        given.approval(),
                        ApprovalPolicy.NEVER,
                        ApprovalPolicy::wireName);
                global.sandbox = SandboxMode.DANGER_FULL_ACCESS.wireName();
                global.approval = ApprovalPolicy.NEVER.wireName();
            }
        }

        private static <T> void requireUnset(
                String shortcut, String flag, T given, T implied, Function<T, String> name) {
            if (given != null && given != implied) {
                throw UserError.usage(shortcut + " conflicts with " + flag + " " + name.apply(given) + " (it means "
                        + flag + " " + name.apply(implied) + ")");
            }
        }

        private String readPrompt(String arg) {
            // As Codex: without a PROMPT, one piped into stdin is read; at a terminal it would wait unexplained.
            if (arg == null && Terminal.stdinIsTerminal()) {
                throw UserError.usage("missing PROMPT: give it as an argument, or - to read it from stdin");
            }
            String prompt = arg;
            if (arg == null || arg.equals("-")) {
                try {
                    prompt = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw UserError.failed("cannot read the prompt from stdin: " + e.getMessage());
                }
            }
            if (prompt.isBlank()) {
                throw UserError.usage(
                        arg == null
                                ? "missing PROMPT: none was given as an argument and stdin was empty"
                                : "the prompt is empty");
            }
            return prompt;
        }

        /**
         * Writes one event. When stdout's reader is gone (a broken pipe: PrintStream keeps the IOException to
         * itself), nobody sees what the agent does, so the turn is cancelled as Ctrl-C cancels it.
         */
        private void emitJson(ThreadEvent event) {
            synchronized (out) {
                if (stdoutClosed) {
                    return;
                }
                out.println(event.toJsonLine());
                out.flush();
                if (!out.checkError()) {
                    return;
                }
                stdoutClosed = true;
            }
            synchronized (turnLock) {
                if (turnThread != null) {
                    turnThread.interrupt();
                }
            }
        }
    }
}
