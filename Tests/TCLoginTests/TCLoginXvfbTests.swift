import ClusterCore
import Foundation
import Testing

/// tc-login driving a real X server. Xvfb is started with the paper's display command plus
/// what keeps it on this machine and bounded: `-port` sends its XDMCP query to a stand-in
/// manager on an ephemeral UDP port instead of 177, `-nolisten tcp` (after `-query`, which
/// turns TCP on) keeps it off the network. The stand-in answers the query `Unwilling`, and the
/// X server exits at once ("XDMCP fatal error: Manager unwilling"), as it would against a
/// server that refuses the session.
///
/// What it shows: the X server really was sent to the address the load balancer chose (the
/// query arrives at 127.0.0.1), the session's end comes back to tc-login, and its status is the
/// X server's. A full XDMCP session would need a display manager on the machine; that belongs to
/// the integration tests of the session servers.
@Suite("tc-login with Xvfb", .enabled(if: xvfbPath != nil, "Xvfb is not installed (apt-get install xvfb)"))
struct TCLoginXvfbTests {

    @Test func theXServerQueriesTheChosenServerAndItsEndReturnsToTCLogin() async throws {
        let xvfb = try #require(xvfbPath)
        let manager = try UnwillingXDMCPManager()
        defer { manager.close() }
        let display = try #require(Self.freeDisplayNumber())
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeLoginConfiguration(in: folder, displayCommand: [
            xvfb, ":\(display)", "-terminate", "-port", "\(manager.port)", "-query", "{server}", "-nolisten", "tcp",
        ])
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let (result, query) = try await withLoadBalancer(balancer) { port in
            async let query = manager.answerOneQuery()
            let result = try await TCLoginProcess.run(
                ["--config", config.path, "--lb", "127.0.0.1:\(port)", "--once"], stdin: "alice\n"
            )
            return (result, await query)
        }

        let received = try #require(query, "no XDMCP query reached 127.0.0.1:\(manager.port)")
        #expect(received.version == 1)
        #expect(received.opcode == 2, "XDMCP Query")
        #expect(received.from == "127.0.0.1")
        #expect(!result.timedOut)
        #expect(result.status == 1)
        #expect(result.stdout.hasSuffix("Session on 127.0.0.1 ended (status 1).\n"))
        #expect(result.stderr.contains("Manager unwilling"))
    }

    /// A display number whose lock file and socket do not exist, so Xvfb can take it.
    private static func freeDisplayNumber() -> Int? {
        (20...99).shuffled().first { number in
            !FileManager.default.fileExists(atPath: "/tmp/.X\(number)-lock")
                && !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)")
        }
    }
}

/// Where Xvfb is installed, if it is.
let xvfbPath = ["/usr/bin/Xvfb", "/usr/local/bin/Xvfb"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// A stand-in XDMCP manager (X Display Manager Control Protocol 1.1) on 127.0.0.1 and an
/// ephemeral UDP port: it reads one packet and answers Unwilling (opcode 6).
final class UnwillingXDMCPManager: @unchecked Sendable {
    // @unchecked: the descriptor is used by one thread at a time: `answerOneQuery`'s, then `close`.
    struct Packet: Sendable {
        var version: UInt16
        var opcode: UInt16
        var from: String
    }

    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw XDMCPStandInError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(descriptor)
            throw XDMCPStandInError("bind: errno \(errno)")
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
        // Every wait is bounded: no query within 20 s ends the wait with nil.
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Waits (on a thread of its own) for one packet, answers it Unwilling, and returns its header.
    func answerOneQuery() async -> Packet? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.receiveAndRefuse()) }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    private func receiveAndRefuse() -> Packet? {
        var buffer = [UInt8](repeating: 0, count: 1024)
        var peer = sockaddr_in()
        var peerLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &buffer, buffer.count, 0, $0, &peerLength) }
        }
        guard count >= 6 else { return nil }
        // Unwilling: header (version 1, opcode 6, length), then ARRAY8 hostname, ARRAY8 status.
        let body: [UInt8] = Self.array8("localhost") + Self.array8("not today")
        let reply: [UInt8] = Self.card16(1) + Self.card16(6) + Self.card16(UInt16(body.count)) + body
        _ = withUnsafePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, reply, reply.count, 0, $0, peerLength) }
        }
        let from = String(cString: inet_ntoa(peer.sin_addr))
        return Packet(
            version: UInt16(buffer[0]) << 8 | UInt16(buffer[1]),
            opcode: UInt16(buffer[2]) << 8 | UInt16(buffer[3]),
            from: from
        )
    }

    private static func card16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    private static func array8(_ text: String) -> [UInt8] { card16(UInt16(text.utf8.count)) + Array(text.utf8) }
}

struct XDMCPStandInError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
