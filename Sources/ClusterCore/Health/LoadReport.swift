import Foundation

/// What a health agent reports about its server: the answer to `HEALTH`, sent as one JSON token
/// (`OK <json>`), so that a field added later does not break an older load balancer.
///
/// Every figure is read from the kernel (or, for a demo or benchmark agent started with
/// simulated load, from the simulation, which `simulated` then says).
public struct LoadReport: Codable, Equatable, Sendable {
    /// Whether the server takes new sessions, as its own agent sees it (an administrator can
    /// drain a server at the agent as well as in the directory).
    public enum State: String, Codable, Sendable {
        case active, draining
    }

    /// Pressure stall information: the share of the last 10 seconds in which some task waited
    /// for the resource (`some avg10` of /proc/pressure/*, in percent); nil where the kernel has
    /// no PSI.
    public struct Pressure: Codable, Equatable, Sendable {
        public var cpu: Double?
        public var memory: Double?
        public var io: Double?

        public init(cpu: Double? = nil, memory: Double? = nil, io: Double? = nil) {
            self.cpu = cpu
            self.memory = memory
            self.io = io
        }
    }

    /// The agent's node name.
    public var node: String
    public var version: String
    public var state: State
    public var simulated: Bool
    /// Load averages over 1, 5 and 15 minutes (/proc/loadavg).
    public var load1: Double
    public var load5: Double
    public var load15: Double
    /// Online CPUs.
    public var cpus: Int
    public var pressure: Pressure
    /// MemAvailable and MemTotal of /proc/meminfo, in bytes.
    public var memoryAvailableBytes: UInt64
    public var memoryTotalBytes: UInt64
    /// Interactive sessions (utmp USER_PROCESS entries) and the distinct users holding them.
    public var sessions: Int
    public var users: [String]
    /// When the sample was taken, milliseconds since the epoch.
    public var sampledAt: Int64

    public init(node: String, version: String, state: State, simulated: Bool, load1: Double, load5: Double, load15: Double,
                cpus: Int, pressure: Pressure, memoryAvailableBytes: UInt64, memoryTotalBytes: UInt64,
                sessions: Int, users: [String], sampledAt: Int64) {
        self.node = node
        self.version = version
        self.state = state
        self.simulated = simulated
        self.load1 = load1
        self.load5 = load5
        self.load15 = load15
        self.cpus = cpus
        self.pressure = pressure
        self.memoryAvailableBytes = memoryAvailableBytes
        self.memoryTotalBytes = memoryTotalBytes
        self.sessions = sessions
        self.users = users
        self.sampledAt = sampledAt
    }

    /// The report as the single token of an `OK` response.
    public func serialized() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A struct of numbers, strings and arrays always encodes.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Parses the JSON token of a `HEALTH` answer.
    public init(parsing json: String) throws(LoadReportError) {
        do {
            self = try JSONDecoder().decode(LoadReport.self, from: Data(json.utf8))
        } catch {
            throw LoadReportError(reason: "\(error)")
        }
        guard cpus > 0, load1 >= 0, load5 >= 0, load15 >= 0, sessions >= 0, memoryAvailableBytes <= memoryTotalBytes else {
            throw LoadReportError(reason: "figures out of range")
        }
    }
}

/// A `HEALTH` answer that could not be read: the server is treated as not answering.
public struct LoadReportError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { "unreadable health report: \(reason)" }
}

/// The well-known verbs of tc-healthd, shared by the agent and its clients.
public enum HealthVerb {
    /// `HEALTH` -> `OK <LoadReport json>`. Load figures are not secret and may be polled
    /// unsigned; the users holding sessions are only reported to a signed poll (the load
    /// balancers sign theirs), so the port does not tell anyone who is logged in.
    public static let health = "HEALTH"
    /// `DRAIN` / `UNDRAIN` -> `OK draining|active`. Signed.
    public static let drain = "DRAIN"
    public static let undrain = "UNDRAIN"
    /// `SERVICE start|stop <name>` -> `OK <name> started|stopped`. Signed; only the configured
    /// services.
    public static let service = "SERVICE"
    /// `SIMULATE <json>` -> `OK`: sets the simulated load and sessions of an agent started with
    /// `--simulate`. Signed; refused by an agent reading the kernel.
    public static let simulate = "SIMULATE"
}

/// The simulated figures an agent started with `--simulate` reports, and what `SIMULATE` sets.
public struct SimulatedLoad: Codable, Equatable, Sendable {
    public var load1: Double
    public var cpus: Int
    public var memoryAvailableBytes: UInt64
    public var memoryTotalBytes: UInt64
    public var users: [String]

    public init(load1: Double = 0.1, cpus: Int = 4, memoryAvailableBytes: UInt64 = 6 << 30,
                memoryTotalBytes: UInt64 = 8 << 30, users: [String] = []) {
        self.load1 = load1
        self.cpus = cpus
        self.memoryAvailableBytes = memoryAvailableBytes
        self.memoryTotalBytes = memoryTotalBytes
        self.users = users
    }
}
