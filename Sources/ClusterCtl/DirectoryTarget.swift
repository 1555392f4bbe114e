import ClusterCore
import Foundation

/// Where tcctl's directory commands run: on a directory file of this machine, or on the first
/// load balancer that answers.
enum DirectoryTarget {
    case local(Directory)
    case remote(AdminClient)

    func execute(_ command: DirectoryCommand) async throws -> DirectoryCommandResult {
        switch self {
        case let .local(directory):
            do { return try directory.execute(command) } catch { throw CommandFailure(error) }
        case let .remote(client):
            return try await client.execute(command)
        }
    }
}

/// Signed admin requests to the load balancers, in order, with fail-over.
struct AdminClient {
    var endpoints: [Endpoint]
    var key: ClusterKey
    var timeout: Duration

    func execute(_ command: DirectoryCommand) async throws -> DirectoryCommandResult {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = String(decoding: try encoder.encode(command), as: UTF8.self)
        let words = try await send(verb: AdminVerb.directory, [payload])
        guard let json = words.first else { throw CommandFailure("the load balancer sent an empty answer", exitCode: 4) }
        do {
            return try JSONDecoder().decode(DirectoryCommandResult.self, from: Data(json.utf8))
        } catch {
            throw CommandFailure("the load balancer's answer could not be read: \(error)", exitCode: 4)
        }
    }

    /// Sends one signed request and returns the words of its `OK` answer.
    func send(verb: String, _ arguments: [String], to only: Endpoint? = nil) async throws -> [String] {
        let request: Request
        do { request = try Request(verb: verb, arguments: arguments) } catch { throw CommandFailure(error.description) }
        let client = LineClient(endpoints: only.map { [$0] } ?? endpoints, timeout: timeout, signingKey: key,
                                maximumResponseLength: AdminLimits.maximumLineLength)
        let reply: LineReply
        do {
            reply = try await client.send(request)
        } catch {
            throw CommandFailure("no load balancer answered: \(error.description)", exitCode: 4)
        }
        switch reply.response {
        case let .ok(words):
            return words
        case let .error(code, text):
            let status: Int32 = code == .internal ? 3 : (code == .auth ? 78 : 1)
            throw CommandFailure(text.isEmpty ? code.rawValue : (code == .auth ? "authentication refused: \(text)" : text), exitCode: status)
        }
    }
}
