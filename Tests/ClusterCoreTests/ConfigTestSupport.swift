import ClusterCore
import Foundation

/// Fixed machines, so that defaults are the same wherever the tests run.
enum ConfigFixtures {
    /// A developer's account: no XDG_STATE_HOME, so state goes under ~/.local/state.
    static let user = ConfigEnvironment(
        hostname: "Session-07.Example.org", effectiveUserID: 1000, homeDirectory: "/home/ada", stateHome: nil
    )
    /// A packaged daemon running as root.
    static let root = ConfigEnvironment(
        hostname: "lb1", effectiveUserID: 0, homeDirectory: "/root", stateHome: "/root/.local/state"
    )

    /// What errors say a `"host:port"` key expects.
    static let expectedEndpoint = "a \"host:port\" address with a port in 1...65535 (IPv6 as \"[address]:port\")"

    /// Parses `yaml` as the file "node.yaml" and returns the configuration.
    static func parse(_ yaml: String, environment: ConfigEnvironment = user) throws -> NodeConfig {
        try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: environment)
    }

    /// Parses `yaml` as the file "node.yaml" and returns the error it throws, if any.
    static func error(parsing yaml: String, environment: ConfigEnvironment = user) -> ConfigError? {
        do {
            _ = try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: environment)
            return nil
        } catch {
            return error
        }
    }
}

/// A unique directory under the system's temporary directory, removed by `remove()`.
struct ConfigTemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("thincluster-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` in the directory and returns its path.
    func write(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
