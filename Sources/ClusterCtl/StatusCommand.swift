import ArgumentParser
import ClusterCore
import Foundation

/// `tcctl status`: every load balancer's replica and view of the servers, side by side.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each load balancer (reachable, directory version) and each server (alive, load, sessions, state).",
        discussion: "Asks every load balancer given with --lb (or in cluster.loadBalancers), and every load balancer the directory names, for its STATUS. Replicas whose directory digests differ are flagged. Exit status 0 when every load balancer answered and all replicas agree, 1 otherwise.")

    @OptionGroup var options: DirectoryOptions
    @Option(help: ArgumentHelp("Refresh every this many seconds until interrupted.", valueName: "seconds")) var watch: Double?

    func run() async throws {
        guard case let .remote(client) = try options.target() else {
            throw ValidationError("status asks the load balancers: give --lb host:port,... or set cluster.loadBalancers")
        }
        let gatherer = ClusterStatus(client: client)
        if let watch {
            guard watch >= 0.2 else { throw ValidationError("--watch must be at least 0.2 seconds") }
            while !Task.isCancelled {
                let report = await gatherer.gather()
                print("\u{1B}[H\u{1B}[2J", terminator: "")
                ClusterStatus.render(report, now: Date())
                try await Task.sleep(for: .milliseconds(Int(watch * 1000)))
            }
            return
        }
        let report = await gatherer.gather()
        if options.json { try options.output.emit(report) } else { ClusterStatus.render(report, now: nil) }
        if !report.healthy { throw CommandFailure(report.summary) }
    }
}

/// Collects `STATUS` from every load balancer it can find.
struct ClusterStatus {
    struct Balancer: Encodable {
        var endpoint: String
        var reachable: Bool
        var error: String?
        var status: BalancerStatus?
    }

    struct Report: Encodable {
        var balancers: [Balancer]
        /// True when every reachable load balancer holds the same directory (equal digests).
        var identical: Bool
        var healthy: Bool { identical && balancers.allSatisfy(\.reachable) }
        var summary: String {
            let down = balancers.filter { !$0.reachable }.map(\.endpoint)
            if !down.isEmpty { return "unreachable load balancer(s): \(down.joined(separator: ", "))" }
            return identical ? "all load balancers agree" : "load balancers hold different directories (replication pending or broken)"
        }
    }

    let client: AdminClient

    func gather() async -> Report {
        var endpoints = client.endpoints
        var balancers: [Balancer] = []
        var index = 0
        while index < endpoints.count {
            let endpoint = endpoints[index]
            index += 1
            do {
                let words = try await client.send(verb: AdminVerb.status, [], to: endpoint)
                let status = try JSONDecoder().decode(BalancerStatus.self, from: Data((words.first ?? "").utf8))
                balancers.append(Balancer(endpoint: endpoint.description, reachable: true, error: nil, status: status))
                // The load balancers it replicates with (configured, and named in the directory)
                // are asked too, each once.
                for peer in status.peers {
                    if let other = try? Endpoint(parsing: peer.endpoint), !endpoints.contains(other) { endpoints.append(other) }
                }
            } catch {
                balancers.append(Balancer(endpoint: endpoint.description, reachable: false, error: "\(error)", status: nil))
            }
        }
        let digests = Set(balancers.compactMap { $0.status?.directory.digest })
        return Report(balancers: balancers, identical: digests.count <= 1)
    }

    static func render(_ report: Report, now: Date?) {
        let output = Output(json: false)
        if let now { print("ThinCluster status at \(now)  (Ctrl-C to stop)\n") }
        let digests = report.balancers.compactMap { $0.status?.directory.digest }
        let common = Dictionary(grouping: digests, by: { $0 }).max { $0.value.count < $1.value.count }?.key
        print("LOAD BALANCERS")
        output.table(["endpoint", "node", "reachable", "records", "digest", "peers", "decisions"], report.balancers.map { balancer in
            guard let status = balancer.status else {
                return [balancer.endpoint, "-", "NO: \(balancer.error ?? "")", "-", "-", "-", "-"]
            }
            let flag = status.directory.digest == common ? "" : "  << DIFFERS"
            let peersUp = status.peers.filter(\.reachable).count
            let decisions = status.decisions.values.reduce(0, +)
            return [balancer.endpoint, status.node, "yes", String(status.directory.recordCount), status.directory.digest.prefix(12) + flag,
                    "\(peersUp)/\(status.peers.count) up", String(decisions)]
        })
        print(report.identical ? "replicas: identical\n" : "replicas: DIFFER (replication pending or broken)\n")
        guard let view = report.balancers.first(where: { $0.status != nil }), let status = view.status else {
            print("no load balancer answered")
            return
        }
        print("SERVERS (as seen by \(view.endpoint))")
        output.table(["name", "address", "roles", "state", "alive", "load1/cpus", "psi", "sessions", "score", "users"], status.servers.map { server in
            let report = server.report
            let pressure = report.map { [$0.pressure.cpu, $0.pressure.memory, $0.pressure.io].compactMap { $0 }.max().map { String(format: "%.0f%%", $0) } ?? "-" } ?? "-"
            let state = report?.state == .draining && server.state == .active ? "draining (agent)" : server.state.rawValue
            return [
                server.name, server.address, server.roles.map(\.rawValue).joined(separator: ","), state,
                !server.roles.contains(.session) ? "-" : server.alive ? "yes" : (server.failures > 0 ? "NO (\(server.failures) failed)" : "unknown"),
                report.map { String(format: "%.2f/%d", $0.load1, $0.cpus) + ($0.simulated ? " sim" : "") } ?? "-",
                pressure,
                report.map { String($0.sessions) } ?? "-",
                server.score.map { String(format: "%.3f", $0) } ?? "-",
                report.map { $0.users.prefix(6).joined(separator: ",") + ($0.users.count > 6 ? ",..." : "") } ?? "-",
            ]
        })
    }
}
