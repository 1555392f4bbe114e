import ArgumentParser
import ClusterCore

extension DaemonStartup {
    /// The node configuration file (or the defaults when there is none), or the exit every
    /// daemon gives for a bad one: `tool: what is wrong, naming the key` and status 78.
    public static func loadNodeConfig(_ path: String?, tool: String) throws -> NodeConfig {
        do {
            return try NodeConfig.load(path: path)
        } catch {
            throw failure(tool, error.description, status: configurationExitCode)
        }
    }

    /// A `host:port` flag, or a usage error that names the flag and what is wrong with it.
    public static func endpoint(_ text: String, flag: String) throws -> Endpoint {
        do {
            return try Endpoint(parsing: text)
        } catch {
            throw ValidationError("\(flag): \(error.description)")
        }
    }
}
