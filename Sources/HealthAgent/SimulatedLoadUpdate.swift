import ClusterCore
import Foundation

/// The argument of `SIMULATE`: a JSON object with any of `SimulatedLoad`'s fields, applied to
/// the current simulation; fields left out keep their values, so a demo can make one server
/// busier with `{"load1":3.5}`. A full `SimulatedLoad` document is an update of every field.
///
/// Unknown keys are refused rather than ignored: `{"laod1":3}` would otherwise answer OK and
/// change nothing, which is the kind of typo a demo script keeps for a long time.
struct SimulatedLoadUpdate: Equatable, Sendable {
    var load1: Double?
    var cpus: Int?
    var memoryAvailableBytes: UInt64?
    var memoryTotalBytes: UInt64?
    var users: [String]?

    private struct Fields: Decodable {
        var load1: Double?
        var cpus: Int?
        var memoryAvailableBytes: UInt64?
        var memoryTotalBytes: UInt64?
        var users: [String]?
    }

    static let keys: Set<String> = ["load1", "cpus", "memoryAvailableBytes", "memoryTotalBytes", "users"]

    /// Parses the JSON token of a `SIMULATE` request.
    init(parsing json: String) throws(SimulationError) {
        let data = Data(json.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            throw .notAnObject
        }
        let unknown = Set(dictionary.keys).subtracting(Self.keys)
        guard unknown.isEmpty else { throw .unknownKeys(unknown.sorted()) }
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: data)
        } catch {
            throw .wrongType
        }
        load1 = fields.load1
        cpus = fields.cpus
        memoryAvailableBytes = fields.memoryAvailableBytes
        memoryTotalBytes = fields.memoryTotalBytes
        users = fields.users
    }

    /// `current` with this update's fields, validated.
    func applied(to current: SimulatedLoad) throws(SimulationError) -> SimulatedLoad {
        var load = current
        if let load1 { load.load1 = load1 }
        if let cpus { load.cpus = cpus }
        if let memoryAvailableBytes { load.memoryAvailableBytes = memoryAvailableBytes }
        if let memoryTotalBytes { load.memoryTotalBytes = memoryTotalBytes }
        if let users { load.users = users }
        try Self.validate(load)
        return load
    }

    /// The figures a real server could report; shared by `--simulate-*` and `SIMULATE`, and
    /// the same bounds a load balancer applies to what it reads (`LoadReport(parsing:)`).
    static func validate(_ load: SimulatedLoad) throws(SimulationError) {
        guard load.load1.isFinite, (0...100_000).contains(load.load1) else { throw .invalid("load1 must be between 0 and 100000") }
        guard (1...OnlineCPUs.maximum).contains(load.cpus) else { throw .invalid("cpus must be between 1 and \(OnlineCPUs.maximum)") }
        guard load.memoryTotalBytes > 0 else { throw .invalid("memoryTotalBytes must be positive") }
        guard load.memoryAvailableBytes <= load.memoryTotalBytes else {
            throw .invalid("memoryAvailableBytes must not exceed memoryTotalBytes")
        }
        guard load.users.count <= 10_000 else { throw .invalid("at most 10000 users") }
        for user in load.users {
            do {
                try Names.validateUsername(user)
            } catch {
                throw .invalid("user \(user.debugDescription) is not a valid user name")
            }
        }
    }
}

/// Why a simulation request or `--simulate-*` option was refused.
enum SimulationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAnObject
    case unknownKeys([String])
    case wrongType
    case invalid(String)
    /// The agent reads the kernel; only an agent started with `--simulate` takes figures.
    case notSimulating

    var description: String {
        switch self {
        case .notAnObject:
            return "SIMULATE takes a JSON object, e.g. {\"load1\":2.5,\"users\":[\"alice\"]}"
        case .unknownKeys(let keys):
            return "unknown key \(keys.joined(separator: ", ")); known keys: \(SimulatedLoadUpdate.keys.sorted().joined(separator: ", "))"
        case .wrongType:
            return "a value has the wrong type: load1 is a number, cpus and the memory figures whole numbers, users a list of names"
        case .invalid(let reason):
            return reason
        case .notSimulating:
            return "this agent reports the kernel's load; SIMULATE needs an agent started with --simulate"
        }
    }
}
