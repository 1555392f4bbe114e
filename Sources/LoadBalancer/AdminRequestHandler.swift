import ClusterCore
import Foundation
import Logging

/// The admin port: directory commands from tcctl, replication from peers, status. Every verb but
/// `PING` arrives signed (the `RequestAuthenticator` refuses anything else before this runs).
struct AdminRequestHandler: LineRequestHandler {
    let node: String
    let directory: Directory
    let replicator: Replicator
    let pushes: PushQueue
    let board: HealthBoard
    let recent: RecentAssignments
    let metrics: BalancerMetrics
    let logger: Logger

    func handle(_ request: Request, context: RequestContext) async -> Response {
        if request.verb == BalancerVerb.ping { return .ok(["tc-lbd", ClusterCoreVersion.string]) }
        // The authenticator already refused unsigned admin verbs; this is a second lock on the door.
        guard context.isAuthenticated else { return .error(.auth, "unsigned: \(request.verb) needs the cluster key") }
        guard request.arguments.count == (request.verb == AdminVerb.status ? 0 : 1) else {
            return .error(.syntax, "usage: DIR <json> | SYNC <json> | PUSH <json> | STATUS")
        }
        do {
            switch request.verb {
            case AdminVerb.directory:
                return try runDirectoryCommand(try decode(DirectoryCommand.self, request.arguments[0]))
            case AdminVerb.sync:
                let delta = try directory.changes(since: try decode(VersionVector.self, request.arguments[0]))
                return .ok([try Replicator.json(delta)])
            case AdminVerb.push:
                let outcome = try directory.apply(try decode(DirectoryDelta.self, request.arguments[0]))
                return .ok([String(outcome.applied), String(outcome.ignored)])
            case AdminVerb.status:
                return .ok([try Replicator.json(try status())])
            default:
                return .error(.unknownVerb, "admin verbs: DIR, SYNC, PUSH, STATUS, PING")
            }
        } catch let error as DirectoryError {
            return .error(ErrorCode(rawValue: error.code), error.description)
        } catch let error as BadPayload {
            return .error(.invalid, error.description)
        } catch {
            logger.error("admin request failed", metadata: ["verb": "\(request.verb)", "error": "\(error)"])
            return .error(.internal, "\(error)")
        }
    }

    private func runDirectoryCommand(_ command: DirectoryCommand) throws -> Response {
        let before = command.isWrite ? try directory.versionVector() : nil
        let result = try directory.execute(command)
        if let before {
            var delta = try directory.changes(since: before)
            delta.covers = .empty  // a push carries records only; vectors travel with pulls
            pushes.enqueue(delta)
            logger.info("directory changed", metadata: ["command": "\(String(describing: command).prefix(120))"])
        }
        return .ok([try Replicator.json(result)])
    }

    func status() throws -> BalancerStatus {
        let now = ContinuousClock.now
        let observations = board.snapshot()
        let servers = try directory.servers().map { server -> BalancerStatus.ServerView in
            let observation = observations[server.name]
            let candidate = Candidate(server: server, alive: observation?.alive ?? false, report: observation?.report,
                                      recentAssignments: recent.count(server.name, at: now))
            let selectable = candidate.alive && server.state == .active && server.roles.contains(.session)
            return BalancerStatus.ServerView(
                name: server.name, address: server.address, roles: server.roles, state: server.state,
                alive: candidate.alive, failures: observation?.failures ?? 0, lastError: observation?.lastError,
                report: observation?.report, score: selectable ? Selector.score(of: candidate) : nil,
                recentAssignments: candidate.recentAssignments)
        }
        return BalancerStatus(node: node, version: ClusterCoreVersion.string, directory: try directory.revision(),
                              peers: replicator.status(), servers: servers, decisions: metrics.decisions())
    }

    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch {
            throw BadPayload(description: "the \(type) payload is not valid: \(error)")
        }
    }
}

struct BadPayload: Error, CustomStringConvertible {
    var description: String
}
