package io.mattepipe.cli;

import picocli.CommandLine;

/** A mistake in the command line (a missing folder, a colour that does not parse): exit 64 with the reason. */
final class UsageException extends IllegalArgumentException implements CommandLine.IExitCodeGenerator {

    UsageException(String message) {
        super(message);
    }

    @Override
    public int getExitCode() {
        return 64;
    }
}
