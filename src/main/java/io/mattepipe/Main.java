package io.mattepipe;

import io.mattepipe.app.StartupException;
import io.mattepipe.cli.BatchCommand;
import io.mattepipe.cli.BenchCommand;
import io.mattepipe.cli.EvaluateCommand;
import io.mattepipe.cli.KeysCommand;
import io.mattepipe.cli.RemoveCommand;
import io.mattepipe.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar mattepipe.jar COMMAND ...}: one entry point, one class per command. */
@Command(name = "mattepipe", mixinStandardHelpOptions = true, version = "mattepipe 0.1.0",
        description = "Batch background removal with IS-Net on ONNX Runtime, as an Apache Camel application.",
        subcommands = {ServeCommand.class, BatchCommand.class, RemoveCommand.class, EvaluateCommand.class, BenchCommand.class,
                KeysCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (serve: also after SIGTERM or Ctrl-C)", "1:an error stopped the command, or start-up failed",
                "2:some images failed (batch, evaluate)", "64:bad usage",
                "130, 143:Ctrl-C or SIGTERM stopped a job before it finished (batch, evaluate, bench, serve --process)"})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, with errors reported as one line (the stack trace is for bugs, not bad input). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("mattepipe " + command.getCommandName() + ": " + describe(e));
            return e instanceof CommandLine.IExitCodeGenerator generator ? generator.getExitCode() : 1;
        });
        // picocli's own default for bad usage is 2, which here means "some images failed"
        cli.getCommandSpec().exitCodeOnInvalidInput(64);
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().exitCodeOnInvalidInput(64));
        return cli;
    }

    /** The messages of the cause chain: "error in routes" alone would not say which file and line. */
    public static String describe(Throwable error) {
        for (Throwable cause = error; cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof StartupException) {
                return cause.getMessage(); // says it all, in one line, however Camel wrapped it
            }
        }
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(System.lineSeparator()).append("  caused by: ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
