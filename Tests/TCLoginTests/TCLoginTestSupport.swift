import ClusterCore
import ClusterTestSupport
import Foundation
import Testing

@testable import TCLogin

/// A load balancer's thin-client listener as the contract describes it: answers
/// `SERVER <username> [<client-id>]` from a table, `ERR not-found` for anyone else, and
/// records every request.
struct StandInLoadBalancer: LineRequestHandler {
    var answers: [String: Response]
    let seen = SeenRequests()

    func handle(_ request: Request, context: RequestContext) async -> Response {
        await seen.append(request)
        guard request.verb == "SERVER", let username = request.arguments.first else {
            return .error(.unknownVerb, "unknown verb \(request.verb)")
        }
        return answers[username] ?? .error(.notFound, "user \(username) is not in the directory")
    }
}

/// Every request a stand-in received, as request lines.
actor SeenRequests {
    private(set) var lines: [String] = []
    func append(_ request: Request) { lines.append(request.serialized()) }
}

/// Starts a `LineServer` on 127.0.0.1 and an ephemeral port, runs `body` with its port, then
/// stops it and waits (bounded) until it has closed its socket.
func withLoadBalancer<T: Sendable>(
    _ handler: some LineRequestHandler,
    _ body: @escaping @Sendable (Int) async throws -> T
) async throws -> T {
    let server = LineServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler)
    let running = Task { try await server.run() }
    defer { running.cancel() }
    let port = try await withTimeout { try await server.localPort() }
    let result: T
    do {
        result = try await body(port)
    } catch {
        running.cancel()
        _ = try? await withTimeout { try await running.value }
        throw error
    }
    running.cancel()
    try await withTimeout { try await running.value }
    return result
}

/// A fresh directory under the system's temporary directory.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tc-login-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The text of a file, empty when it does not exist.
func contents(of url: URL) -> String {
    (try? String(contentsOf: url, encoding: .utf8)) ?? ""
}

/// A node configuration with only a `login` section: JSON is valid YAML, so any list of
/// strings is written without worrying about YAML quoting.
func writeLoginConfiguration(
    in folder: URL,
    displayCommand: [String],
    loadBalancersFile: String? = nil,
    loadBalancers: [String] = []
) throws -> URL {
    var login: [String: Any] = ["displayCommand": displayCommand, "timeoutMilliseconds": 1000]
    if let loadBalancersFile { login["loadBalancersFile"] = loadBalancersFile }
    if !loadBalancers.isEmpty { login["loadBalancers"] = loadBalancers }
    let data = try JSONSerialization.data(withJSONObject: ["login": login], options: [.sortedKeys])
    let url = folder.appendingPathComponent("node.yaml")
    try data.write(to: url)
    return url
}
