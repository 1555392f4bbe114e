import ClusterCore
import Foundation

/// Keeps the agent's draining/active state across restarts, in `<stateDirectory>/health-state`.
///
/// An administrator drains a server to empty it before maintenance; if the agent then
/// restarted (a package upgrade, a crash) and came back active, the load balancers would send
/// new sessions to the server being emptied. The file holds one word, `draining` or `active`,
/// and is replaced atomically (written aside, then renamed), so a crash leaves the old or the
/// new state, never half a word.
struct DrainStateStore: Sendable {
    static let fileName = "health-state"

    let path: String

    init(stateDirectory: String) {
        var base = Substring(stateDirectory)
        while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
        path = (base == "/" ? "" : String(base)) + "/" + Self.fileName
    }

    /// The saved state; `.active` when nothing was ever saved.
    func load() throws(DrainStateError) -> LoadReport.State {
        let bytes: [UInt8]
        do {
            bytes = try KernelFile.read(path, limit: 1024)
        } catch .absent {
            return .active
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        let word = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let state = LoadReport.State(rawValue: word) else { throw .malformed(path: path, found: word) }
        return state
    }

    /// Saves `state`, creating the state directory if needed.
    func save(_ state: LoadReport.State) throws(DrainStateError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data((state.rawValue + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }
}

/// Why the saved state could not be read or written.
enum DrainStateError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, found: String)
    case unwritable(path: String, reason: String)

    var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read the saved drain state \(path): \(reason)"
        case let .malformed(path, found):
            return "the saved drain state \(path) holds \(found.prefix(40).debugDescription), "
                + "not \"draining\" or \"active\"; send UNDRAIN or DRAIN to rewrite it"
        case let .unwritable(path, reason):
            return "cannot save the drain state to \(path): \(reason)"
        }
    }
}
