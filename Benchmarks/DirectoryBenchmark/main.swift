import ClusterCore
import Foundation

/// Directory benchmark: prints figures, asserts nothing. Build in release:
///   swift run -c release tc-bench-directory [--users N] [--lookups N]
/// The database files are real (WAL) files in a temporary folder, removed at the end.

let arguments = CommandLine.arguments
func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Int(arguments[index + 1]) else { return value }
    return parsed
}
let userCount = option("--users", default: 10_000)
let lookupCount = option("--lookups", default: 100_000)
let singleInserts = option("--single-inserts", default: 1_000)

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tc-bench-\(ProcessInfo.processInfo.processIdentifier)")
defer { try? FileManager.default.removeItem(at: folder) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

func fmt(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

do {
    let directory = try Directory.open(path: folder.appendingPathComponent("a.sqlite").path)
    for index in 1...20 {
        try directory.addServer(Server(name: "s\(index)", address: "10.1.0.\(index)"))
    }
    for group in 0..<10 {
        try directory.addGroup(named: "g\(group)", servers: ["s\(group * 2 + 1)", "s\(group * 2 + 2)"])
    }
    let csv = (0..<userCount).map { "user\($0),g\($0 % 10)" }.joined(separator: "\n")
    let bulk = try seconds { _ = try directory.importUsers(csv: csv) }
    print("insert \(userCount) users, one transaction (tcctl user import): \(fmt(bulk * 1000)) ms  (\(fmt(Double(userCount) / bulk, 0)) users/s)")

    let single = try seconds {
        for index in 0..<singleInserts { try directory.addUser(named: "single\(index)", group: "g\(index % 10)") }
    }
    print("insert \(singleInserts) users, one transaction each (tcctl user add): \(fmt(single / Double(singleInserts) * 1e6, 0)) us per user")

    var random = SystemRandomNumberGenerator()
    let names = (0..<lookupCount).map { _ in "user\(Int.random(in: 0..<userCount, using: &random))" }
    for name in names.prefix(1000) { _ = try directory.user(named: name) }  // warm the page cache
    var userLatencies: [Double] = []
    userLatencies.reserveCapacity(lookupCount)
    var placementLatencies: [Double] = []
    placementLatencies.reserveCapacity(lookupCount)
    for name in names {
        userLatencies.append(try seconds { _ = try directory.user(named: name) } * 1e6)
        placementLatencies.append(try seconds { _ = try directory.placement(ofUser: name) } * 1e6)
    }
    userLatencies.sort()
    placementLatencies.sort()
    print("lookup user -> group (\(lookupCount) random): p50 \(fmt(percentile(userLatencies, 0.5))) us  p99 \(fmt(percentile(userLatencies, 0.99))) us")
    print("lookup user -> group + servers (load balancer path): p50 \(fmt(percentile(placementLatencies, 0.5))) us  p99 \(fmt(percentile(placementLatencies, 0.99))) us")

    var delta = DirectoryDelta(changes: [], covers: .empty)
    let produce = try seconds { delta = try directory.changes(since: .empty) }
    print("produce a delta of \(delta.changes.count) changes: \(fmt(produce * 1000)) ms")
    let encoded = try JSONEncoder().encode(delta)
    var decoded = delta
    let codec = try seconds { decoded = try JSONDecoder().decode(DirectoryDelta.self, from: encoded) }
    print("delta as JSON: \(encoded.count / 1024) KiB, decoded in \(fmt(codec * 1000)) ms")

    let replica = try Directory.open(path: folder.appendingPathComponent("b.sqlite").path)
    var outcome = ApplyOutcome(applied: 0, ignored: 0)
    let apply = try seconds { outcome = try replica.apply(decoded) }
    print("apply that delta to an empty replica: \(fmt(apply * 1000)) ms  (\(outcome.applied) applied)")
    let again = try seconds { outcome = try replica.apply(decoded) }
    print("apply it again (all duplicates): \(fmt(again * 1000)) ms  (\(outcome.ignored) ignored)")
    let same = try directory.revision().digest == replica.revision().digest
    print("replicas identical after apply: \(same)")
    print("peak RSS: \(fmt(peakRSSMegabytes())) MB")
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
