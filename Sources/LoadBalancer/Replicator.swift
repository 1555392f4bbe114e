import ClusterCore
import Foundation
import Logging
import Synchronization

/// Directory replication with the other load balancers: pulls (anti-entropy with version
/// vectors) and pushes of fresh writes, all signed with the cluster key.
///
/// Peers are the configured ones plus every server with the `balancer` role in the directory
/// (at the cluster's admin port), less this node: adding a load balancer with tcctl makes the
/// others start exchanging with it, without a restart.
final class Replicator: Sendable {
    let directory: Directory
    let node: String
    let configuredPeers: [Endpoint]
    let ownAdmin: Endpoint
    let adminPort: UInt16
    let key: ClusterKey?
    let timeout: Duration
    let metrics: BalancerMetrics
    let logger: Logger
    private let peerState = Mutex<[String: PeerRecord]>([:])

    private struct PeerRecord {
        var reachable = false
        var lastSuccess: ContinuousClock.Instant?
        var lastError: String?
    }

    init(directory: Directory, node: String, configuredPeers: [Endpoint], ownAdmin: Endpoint, adminPort: UInt16, key: ClusterKey?,
         timeout: Duration, metrics: BalancerMetrics, logger: Logger) {
        self.directory = directory
        self.node = node
        self.configuredPeers = configuredPeers
        self.ownAdmin = ownAdmin
        self.adminPort = adminPort
        self.key = key
        self.timeout = timeout
        self.metrics = metrics
        self.logger = logger
    }

    func peers() -> [Endpoint] {
        var endpoints = configuredPeers
        if let servers = try? directory.servers() {
            for server in servers where server.roles.contains(.balancer) && server.name != node {
                endpoints.append(Endpoint(host: server.address, port: adminPort))
            }
        }
        var seen = Set<Endpoint>()
        return endpoints.filter { $0 != ownAdmin && seen.insert($0).inserted }
    }

    /// Asks every peer at once for what this replica lacks, and applies it.
    func pullFromAll() async {
        await withTaskGroup(of: Void.self) { group in
            for peer in peers() { group.addTask { await self.pull(from: peer) } }
        }
    }

    func pull(from peer: Endpoint) async {
        do {
            let vector = try directory.versionVector()
            let words = try await send(AdminVerb.sync, [try Replicator.json(vector)], to: peer)
            guard let json = words.first else { throw ReplicationError("empty SYNC answer") }
            let delta = try JSONDecoder().decode(DirectoryDelta.self, from: Data(json.utf8))
            let outcome = try directory.apply(delta)
            if outcome.applied > 0 {
                logger.info("pulled changes", metadata: ["peer": "\(peer)", "applied": "\(outcome.applied)"])
            }
            succeeded(peer, direction: "pull")
            // The delta carries the peer's vector: send back whatever the peer lacks, as a
            // complete delta, so one side knowing the other keeps both in step (a new load
            // balancer with an empty directory does not know its peers yet).
            let back = try directory.changes(since: delta.covers)
            if !back.changes.isEmpty {
                _ = try await send(AdminVerb.push, [try Replicator.json(back)], to: peer)
                succeeded(peer, direction: "push")
            }
        } catch {
            failed(peer, direction: "pull", error: error)
        }
    }

    /// Sends fresh local writes to every peer at once. Best effort: a peer that misses a push
    /// gets the records at its next pull.
    func push(_ delta: DirectoryDelta) async {
        guard !delta.changes.isEmpty, let payload = try? Replicator.json(delta) else { return }
        await withTaskGroup(of: Void.self) { group in
            for peer in peers() {
                group.addTask {
                    do {
                        _ = try await self.send(AdminVerb.push, [payload], to: peer)
                        self.succeeded(peer, direction: "push")
                    } catch {
                        self.failed(peer, direction: "push", error: error)
                    }
                }
            }
        }
    }

    func status() -> [BalancerStatus.Peer] {
        let now = ContinuousClock.now
        let records = peerState.withLock { $0 }
        return peers().map { peer in
            let record = records[peer.description] ?? PeerRecord()
            let ago = record.lastSuccess.map { now - $0 }.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 }
            return BalancerStatus.Peer(endpoint: peer.description, reachable: record.reachable, lastSuccessAgoMilliseconds: ago,
                                       lastError: record.lastError)
        }
    }

    private func send(_ verb: String, _ arguments: [String], to peer: Endpoint) async throws -> [String] {
        guard let key else { throw ReplicationError("no cluster key: replication is off") }
        let client = LineClient(endpoints: [peer], timeout: timeout, signingKey: key, maximumResponseLength: AdminLimits.maximumLineLength)
        let reply = try await client.send(try Request(verb: verb, arguments: arguments))
        guard case let .ok(words) = reply.response else { throw ReplicationError("\(peer) answered \(reply.response.serialized())") }
        return words
    }

    private func succeeded(_ peer: Endpoint, direction: String) {
        metrics.replication(direction, peer: peer.description, ok: true)
        let wasDown = peerState.withLock { table in
            let wasDown = table[peer.description]?.reachable == false
            table[peer.description] = PeerRecord(reachable: true, lastSuccess: .now, lastError: nil)
            return wasDown
        }
        if wasDown { logger.notice("peer reachable again", metadata: ["peer": "\(peer)"]) }
    }

    private func failed(_ peer: Endpoint, direction: String, error: any Error) {
        metrics.replication(direction, peer: peer.description, ok: false)
        let firstFailure = peerState.withLock { table in
            var record = table[peer.description] ?? PeerRecord()
            let first = record.reachable || record.lastError == nil
            record.reachable = false
            record.lastError = "\(error)"
            table[peer.description] = record
            return first
        }
        // One line when a peer goes away, not one per interval while it stays away.
        if firstFailure { logger.warning("peer unreachable", metadata: ["peer": "\(peer)", "direction": "\(direction)", "error": "\(error)"]) }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

struct ReplicationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
