import Foundation
import Synchronization
@testable import ClusterCore

/// A wall clock tests move by hand, so that replicas can write "at the same millisecond".
final class ManualClock: Sendable {
    private let now: Mutex<Int64>

    init(_ start: Int64 = 1_700_000_000_000) { now = Mutex(start) }

    func advance(by milliseconds: Int64) { now.withLock { $0 += milliseconds } }

    var read: @Sendable () -> Int64 { { [self] in now.withLock { $0 } } }
}

/// SplitMix64: a small seeded generator, so a failing random schedule can be replayed by seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func mac(_ text: String) throws -> MACAddress { try MACAddress(parsing: text) }

/// A directory with two servers, one group and one user: the smallest cluster most tests need.
func seededDirectory(clock: ManualClock = ManualClock()) throws -> Directory {
    let directory = try Directory.inMemory(wallClock: clock.read)
    try directory.addServer(Server(name: "s1", address: "192.0.2.11"))
    try directory.addServer(Server(name: "s2", address: "192.0.2.12"))
    try directory.addGroup(named: "staff", servers: ["s1", "s2"])
    try directory.addUser(named: "alice", group: "staff")
    return directory
}

/// A fresh temporary directory path, removed by the caller.
func temporaryPath(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("tc-test-\(UUID().uuidString)").appendingPathComponent(name)
}
