import ClusterCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Login storm: prints figures, asserts nothing. Build and run in release:
///   swift build -c release --product tc-healthd --product ... (see docs/PERFORMANCE.md)
///   .build/release/tc-bench-login [--logins 1000] [--clients 100] [--servers 20]
///
/// Starts 20 tc-healthd with simulated load and 2 tc-lbd (release binaries next to this one) on
/// 127.88.0.x, seeds 1,000 users in 10 groups through the admin port, then 100 concurrent
/// clients make 1,000 logins as tc-login does (a new TCP connection per `SERVER <user>`, the two
/// load balancers in each client's preferred order). Reports logins/s, round-trip latency
/// percentiles, each load balancer's own decision time (its histogram), and every daemon's RSS.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}
let loginCount = option("--logins", 1000)
let clientCount = option("--clients", 100)
let serverCount = option("--servers", 20)
let userCount = option("--users", 1000)
let port = UInt16(option("--port", 27700))
let subnet = "127.88.0"

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tc-bench-login-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]).deletingLastPathComponent()
let keyPath = folder.appendingPathComponent("cluster.key").path
let key = ClusterKey.generate()
try key.write(to: keyPath)

var children: [(name: String, process: Process)] = []
@MainActor func launch(_ name: String, _ binary: String, _ args: [String]) throws {
    let process = Process()
    process.executableURL = binaries.appendingPathComponent(binary)
    process.arguments = args
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    children.append((name, process))
}
@MainActor func stopAll() {
    for child in children where child.process.isRunning { child.process.terminate() }
    for child in children { child.process.waitUntilExit() }
    try? FileManager.default.removeItem(at: folder)
}

func rss(_ pid: Int32) -> (current: Double, peak: Double) {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
    return (field("VmRSS:"), field("VmHWM:"))
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let balancerAddresses = ["\(subnet).2", "\(subnet).3"]
do {
    for index in 0..<serverCount {
        let state = folder.appendingPathComponent("s\(index)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try launch("tc-healthd s\(index)", "tc-healthd", [
            "--name", "s\(index)", "--listen", "\(subnet).\(11 + index):\(port + 1)", "--key-file", keyPath, "--state-dir", state.path,
            "--simulate", "--simulate-load", String(format: "%.2f", 0.2 + Double(index % 7) * 0.3), "--simulate-cpus", "4",
        ])
    }
    for (index, address) in balancerAddresses.enumerated() {
        let peer = balancerAddresses[1 - index]
        try launch("tc-lbd lb\(index + 1)", "tc-lbd", [
            "--name", "lb\(index + 1)", "--db", folder.appendingPathComponent("lb\(index + 1).sqlite").path, "--key-file", keyPath,
            "--listen", "\(address):\(port)", "--admin-listen", "\(address):\(port + 2)", "--metrics-listen", "\(address):\(port + 3)",
            "--health-port", String(port + 1), "--peer", "\(peer):\(port + 2)", "--client-rate", "100000", "--log-level", "warning",
        ])
    }
    let admin = LineClient(endpoints: balancerAddresses.map { Endpoint(host: $0, port: port + 2) }, timeout: .seconds(10), signingKey: key,
                           maximumResponseLength: AdminLimits.maximumLineLength)
    func run(_ command: DirectoryCommand) async throws {
        let json = String(decoding: try JSONEncoder().encode(command), as: UTF8.self)
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                let reply = try await admin.send(try Request(verb: AdminVerb.directory, arguments: [json]))
                guard case .ok = reply.response else { throw HarnessFailure("\(command): \(reply.response.serialized())") }
                return
            } catch let error as LineClientError where ContinuousClock.now < deadline {
                _ = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
    for index in 0..<serverCount { try await run(.addServer(Server(name: "s\(index)", address: "\(subnet).\(11 + index)"))) }
    for group in 0..<(serverCount / 2) { try await run(.addGroup(name: "g\(group)", servers: ["s\(group * 2)", "s\(group * 2 + 1)"])) }
    try await run(.importUsers(csv: (0..<userCount).map { "u\($0),g\($0 % (serverCount / 2))" }.joined(separator: "\n"), update: false))

    // Wait until both load balancers see every server alive and hold the same directory.
    func status(_ address: String) async throws -> BalancerStatus {
        let client = LineClient(endpoints: [Endpoint(host: address, port: port + 2)], timeout: .seconds(5), signingKey: key,
                                maximumResponseLength: AdminLimits.maximumLineLength)
        guard case let .ok(words) = try await client.send(try Request(verb: AdminVerb.status)).response else { throw HarnessFailure("STATUS") }
        return try JSONDecoder().decode(BalancerStatus.self, from: Data((words.first ?? "").utf8))
    }
    let ready = ContinuousClock.now + .seconds(30)
    while true {
        let views = try await balancerAddresses.asyncMap(status)
        if views.allSatisfy({ $0.servers.filter(\.alive).count == serverCount }), Set(views.map(\.directory.digest)).count == 1 { break }
        guard ContinuousClock.now < ready else { throw HarnessFailure("cluster not ready in 30 s") }
        try await Task.sleep(for: .milliseconds(200))
    }

    // The storm.
    let perClient = loginCount / clientCount
    let started = ContinuousClock.now
    let results: [(latencies: [Double], failures: Int, byServer: [String: Int])] = await withTaskGroup(of: ([Double], Int, [String: Int]).self) { group in
        for clientIndex in 0..<clientCount {
            group.addTask {
                let order = clientIndex % 2 == 0 ? balancerAddresses : balancerAddresses.reversed()
                let client = LineClient(endpoints: order.map { Endpoint(host: $0, port: port) }, timeout: .seconds(2))
                var latencies: [Double] = []
                var failures = 0
                var byServer: [String: Int] = [:]
                for login in 0..<perClient {
                    let user = "u\((clientIndex * perClient + login) % userCount)"
                    let start = ContinuousClock.now
                    do {
                        let reply = try await client.send(try Request(verb: BalancerVerb.server, arguments: [user]))
                        latencies.append(milliseconds(.now - start))
                        if case let .ok(words) = reply.response { byServer[words.first ?? "?", default: 0] += 1 } else { failures += 1 }
                    } catch {
                        failures += 1
                    }
                }
                return (latencies, failures, byServer)
            }
        }
        var all: [([Double], Int, [String: Int])] = []
        for await result in group { all.append(result) }
        return all.map { (latencies: $0.0, failures: $0.1, byServer: $0.2) }
    }
    let elapsed = milliseconds(.now - started)
    let latencies = results.flatMap(\.latencies).sorted()
    let failures = results.map(\.failures).reduce(0, +)
    var byServer: [String: Int] = [:]
    for result in results { byServer.merge(result.byServer, uniquingKeysWith: +) }
    func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }

    print("login storm: \(loginCount) logins, \(clientCount) concurrent clients, \(serverCount) simulated servers, 2 load balancers, \(userCount) users")
    print(String(format: "  wall %.0f ms, %.0f logins/s, failures %d", elapsed, Double(latencies.count) / elapsed * 1000, failures))
    print(String(format: "  round trip (new TCP connection + SERVER + answer): p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(0.5), percentile(0.99), latencies.last ?? 0))
    print("  spread over servers: min \(byServer.values.min() ?? 0), max \(byServer.values.max() ?? 0) logins per server (\(byServer.count) servers used)")
    for address in balancerAddresses {
        let view = try await status(address)
        let decisions = view.decisions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        guard let metricsURL = URL(string: "http://\(address):\(port + 3)/metrics") else { throw HarnessFailure("bad metrics URL") }
        let (data, _) = try await URLSession.shared.data(from: metricsURL)
        let histogram = DecisionHistogram(metrics: String(decoding: data, as: UTF8.self))
        print("  \(view.node): \(decisions); decision time inside the load balancer: p50 <= \(histogram.bound(0.5)), p99 <= \(histogram.bound(0.99))")
    }
    print("  memory (RSS now / peak):")
    for child in children {
        let memory = rss(child.process.processIdentifier)
        if child.name.hasPrefix("tc-lbd") || child.name == "tc-healthd s0" {
            print(String(format: "    %@: %.1f MB / %.1f MB", child.name, memory.current, memory.peak))
        }
    }
    let agentPeaks = children.filter { $0.name.hasPrefix("tc-healthd") }.map { rss($0.process.processIdentifier).peak }
    print(String(format: "    tc-healthd (all %d): peak max %.1f MB", agentPeaks.count, agentPeaks.max() ?? 0))
    stopAll()
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    stopAll()
    exit(1)
}

struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

/// The load balancer's `tc_lbd_decision_duration_seconds` histogram: percentiles as the upper
/// bound of the bucket they fall in (what Prometheus' histogram_quantile would bracket).
struct DecisionHistogram {
    var buckets: [(bound: String, count: Double)] = []

    init(metrics: String) {
        for line in metrics.split(separator: "\n") where line.hasPrefix("tc_lbd_decision_duration_seconds_bucket{le=\"") {
            let parts = line.split(separator: "\"")
            guard parts.count >= 3, let count = Double(parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "} "))) else { continue }
            buckets.append((String(parts[1]), count))
        }
    }

    func bound(_ quantile: Double) -> String {
        guard let total = buckets.last?.count, total > 0 else { return "n/a" }
        guard let bucket = buckets.first(where: { $0.count >= quantile * total }) else { return "n/a" }
        guard let seconds = Double(bucket.bound) else { return bucket.bound }
        return seconds < 0.001 ? String(format: "%.0f us", seconds * 1e6) : String(format: "%.0f ms", seconds * 1e3)
    }
}
