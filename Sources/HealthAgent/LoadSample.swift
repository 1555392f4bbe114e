import ClusterCore
import Foundation

/// The figures of one sample: everything a `LoadReport` says about the machine, without who
/// asks (node, version) or the agent's own state (draining), which can change between samples.
struct LoadSample: Equatable, Sendable {
    var load1: Double
    var load5: Double
    var load15: Double
    var cpus: Int
    var pressure: LoadReport.Pressure
    var memoryAvailableBytes: UInt64
    var memoryTotalBytes: UInt64
    var sessions: Int
    var users: [String]
    /// Milliseconds since the epoch. A load balancer can see from it that an agent's sampler
    /// is stuck even while the agent still answers.
    var sampledAt: Int64

    /// The report that `HEALTH` sends.
    func report(node: String, state: LoadReport.State, simulated: Bool) -> LoadReport {
        LoadReport(
            node: node, version: ClusterCoreVersion.string, state: state, simulated: simulated,
            load1: load1, load5: load5, load15: load15, cpus: cpus, pressure: pressure,
            memoryAvailableBytes: memoryAvailableBytes, memoryTotalBytes: memoryTotalBytes,
            sessions: sessions, users: users, sampledAt: sampledAt
        )
    }

    /// The figures a simulated agent reports: the simulated 1-minute load stands for all three
    /// averages (a simulation has no history), there is no pressure information, and each
    /// listed user holds one session.
    init(simulating load: SimulatedLoad, at time: Date) {
        self.init(
            load1: load.load1, load5: load.load1, load15: load.load1, cpus: load.cpus,
            pressure: LoadReport.Pressure(),
            memoryAvailableBytes: load.memoryAvailableBytes, memoryTotalBytes: load.memoryTotalBytes,
            sessions: load.users.count, users: Set(load.users).sorted(),
            sampledAt: Self.milliseconds(time)
        )
    }

    init(load1: Double, load5: Double, load15: Double, cpus: Int, pressure: LoadReport.Pressure,
         memoryAvailableBytes: UInt64, memoryTotalBytes: UInt64, sessions: Int, users: [String], sampledAt: Int64) {
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

    static func milliseconds(_ time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
