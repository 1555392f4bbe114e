import ArgumentParser
import Logging

/// `--log-level trace|debug|info|notice|warning|error|critical` for every executable, with
/// ArgumentParser's own error for anything else.
extension Logger.Level: @retroactive ExpressibleByArgument {}
