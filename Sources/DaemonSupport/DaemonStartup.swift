import ArgumentParser
import Foundation
import Logging

/// What every daemon does the same way at start: its log on standard error at the chosen
/// level, its one "listening" line on standard output, and the exit statuses that systemd
/// units and init scripts understand.
public enum DaemonStartup {
    /// EX_CONFIG (sysexits.h): a bad configuration or key file. A restart would not help, so
    /// units list it in `RestartPreventExitStatus`.
    public static let configurationExitCode: Int32 = 78
    /// EX_USAGE: a bad flag.
    public static let usageExitCode: Int32 = 64

    public static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Writes `line` to stdout at once, unbuffered: scripts and tests wait for it.
    @Sendable public static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Prints `command: message` on stderr and returns the exit status to throw, which
    /// ArgumentParser exits with.
    public static func failure(_ command: String, _ message: String, status: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("\(command): \(message)\n".utf8))
        return ExitCode(status)
    }
}
