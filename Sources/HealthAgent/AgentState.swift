import ClusterCore
import Foundation

/// What the agent answers from: the latest sample, whether it is draining, and, for an agent
/// started with `--simulate`, the simulated figures.
///
/// Requests read it and never touch /proc, so `HEALTH` costs an actor hop and a JSON encoding
/// whatever the machine's state; the sampler task writes it once per interval. Drain changes
/// are saved from inside the actor, so two admins draining and undraining at once leave the
/// file and the memory agreeing.
actor AgentState {
    /// Where the figures come from.
    enum Source: Equatable, Sendable {
        case kernel
        case simulated(SimulatedLoad)
    }

    let node: String
    private(set) var sample: LoadSample
    private(set) var availability: LoadReport.State
    private(set) var source: Source
    private let store: DrainStateStore?

    /// - Parameters:
    ///   - sample: the first sample, taken before the server listens.
    ///   - store: where drain changes are saved; nil keeps them in memory only (tests).
    init(node: String, sample: LoadSample, availability: LoadReport.State, source: Source, store: DrainStateStore?) {
        self.node = node
        self.sample = sample
        self.availability = availability
        self.source = source
        self.store = store
    }

    var isSimulated: Bool {
        if case .simulated = source { return true }
        return false
    }

    /// The answer to `HEALTH`.
    func report() -> LoadReport {
        sample.report(node: node, state: availability, simulated: isSimulated)
    }

    /// Takes a kernel sample; ignored in simulated mode, where the simulation is the truth.
    func record(_ sample: LoadSample) {
        guard case .kernel = source else { return }
        self.sample = sample
    }

    /// Re-stamps the simulated figures: a simulated agent's samples age like a real one's.
    func refreshSimulation(at time: Date) {
        guard case .simulated(let load) = source else { return }
        sample = LoadSample(simulating: load, at: time)
    }

    /// Applies a `SIMULATE` request; the next `HEALTH` answer already shows it.
    func simulate(_ update: SimulatedLoadUpdate, at time: Date) throws(SimulationError) -> SimulatedLoad {
        guard case .simulated(let current) = source else { throw .notSimulating }
        let load = try update.applied(to: current)
        source = .simulated(load)
        sample = LoadSample(simulating: load, at: time)
        return load
    }

    /// Drains or undrains. The new state takes effect even when saving it fails: an
    /// administrator draining a server wants it out of rotation now. The error then says that
    /// a restart would forget it.
    func setAvailability(_ state: LoadReport.State) throws(DrainStateError) {
        availability = state
        try store?.save(state)
    }
}
