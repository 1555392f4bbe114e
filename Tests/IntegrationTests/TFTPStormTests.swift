import ClusterTestSupport
import Foundation
import Testing

extension IntegrationSuite.TFTPServerTests {
    /// What tc-bench-tftp-storm says at the end: "result clients=N completed=N ...".
    private struct StormResult {
        let status: Int32
        let completed: Int
        let output: String

        init(_ tool: ToolResult) {
            status = tool.status
            output = tool.stdout + tool.stderr
            let fields = output.split(separator: "\n").first { $0.hasPrefix("result ") }?.split(separator: " ") ?? []
            completed = fields.lazy.compactMap { field -> Int? in
                field.hasPrefix("completed=") ? Int(field.dropFirst("completed=".count)) : nil
            }.first ?? -1
        }
    }

    private static func storm(port: Int, root: URL, file: String, clients: Int, sources: Int) async throws -> StormResult {
        StormResult(try await runToolAsync("tc-bench-tftp-storm", [
            "--port", "\(port)", "--file", file, "--expect", root.appendingPathComponent(file).path,
            "--clients", "\(clients)", "--sources", "\(sources)", "--source-base", "127.1.0.1", "--timeout-seconds", "120",
        ], timeout: .seconds(150)))
    }

    private static func writeRandomFile(_ url: URL, size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        try Data((0..<size / 8).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }).write(to: url)
    }

    /// Many clients at once, each from its own port, from several addresses: every download is
    /// compared byte for byte, and the limit of transfers per client address holds.
    @Test func aStormFromSeveralAddressesCompletesWithinTheLimitPerClient() async throws {
        let server = try Server(config: ["maximumTransfersPerClient: 4"]) { root in
            try Self.writeRandomFile(root.appendingPathComponent("mid2m"), size: 2 << 20)
        }
        defer { server.stop() }
        // 24 clients from 6 addresses: 4 each, exactly the limit.
        let within = try await Self.storm(port: server.port, root: server.root, file: "mid2m", clients: 24, sources: 6)
        #expect(within.status == 0 && within.completed == 24, "\(within.output)")

        // 10 clients from one address at once: 4 are served, 6 are told the server is busy.
        let over = try await Self.storm(port: server.port, root: server.root, file: "mid2m", clients: 10, sources: 1)
        #expect(over.status == 1 && over.completed == 4, "\(over.output)")
        #expect(over.output.contains("6 × server error 0: server busy, try again"), "\(over.output)")
        let metrics = try server.metrics()
        #expect(metrics.contains("tc_tftpd_refused_total{reason=\"client-busy\"} 6"), "\(metrics)")
        #expect(metrics.contains("tc_tftpd_transfers_total{outcome=\"completed\"} 28"), "\(metrics)")
    }

    /// SIGTERM in the middle of transfers: each client is told at once (so that it can ask
    /// another server), and tc-tftpd exits cleanly.
    @Test func aServerShuttingDownTellsTheClientsItIsServing() async throws {
        let server = try Server(bigFile: true)
        defer { server.stop() }
        let (port, root) = (server.port, server.root)
        let storm = Task { try await Self.storm(port: port, root: root, file: "big40m", clients: 3, sources: 3) }
        // Until the three transfers are under way: /metrics says so.
        var active = false
        for _ in 0..<100 where !active {
            active = (try? server.metrics())?.contains("tc_tftpd_active_transfers 3.0") == true
            if !active { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(active, "the storm did not start")
        server.daemon.signal(SIGTERM)
        #expect(server.daemon.waitForExit(timeout: .seconds(10)) == 0, "\(server.daemon.log)")
        let result = try await storm.value
        #expect(result.status == 1 && result.completed == 0, "\(result.output)")
        #expect(result.output.contains("3 × server error 0: server shutting down, try another"), "\(result.output)")
    }
}
