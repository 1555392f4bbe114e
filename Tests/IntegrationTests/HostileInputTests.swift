import ClusterCore
import ClusterTestSupport
import Foundation
import Testing

/// A load balancer keeps answering thin clients whatever else arrives: unsigned or replayed
/// admin requests, oversized lines, binary junk, thousands of idle or half-open connections.
extension IntegrationSuite {
@Suite struct HostileInputTests {
    /// A raw TCP client for sending what no well-behaved client would.
    final class RawConnection {
        let descriptor: Int32

        init(host: String, port: UInt16) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(descriptor)
                throw HarnessError("connect failed: errno \(errno)")
            }
        }

        func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

        /// One line of answer, waiting up to `timeout`.
        func readLine(timeout: Duration = .seconds(3)) -> String? {
            var data = [UInt8]()
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard Glibc.poll(&poll, 1, 50) > 0 else { continue }
                var byte: UInt8 = 0
                guard recv(descriptor, &byte, 1, 0) == 1 else { return data.isEmpty ? nil : String(decoding: data, as: UTF8.self) }
                if byte == 0x0A { return String(decoding: data, as: UTF8.self) }
                data.append(byte)
            }
            return nil
        }

        func halfClose() { shutdown(descriptor, Int32(SHUT_WR)) }
        deinit { close(descriptor) }
    }

    @Test func unsignedAndReplayedAdminRequestsChangeNothing() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2])
        let before = try await cluster.status(of: "lb1").directory.digest
        let admin = cluster.adminEndpoint("lb1")
        let command = #"{"removeUser":{"name":"alice"}}"#
        let plain = try RawConnection(host: admin.host, port: admin.port)
        plain.send(Array("DIR \(ProtocolToken.encode(command))\n".utf8))
        #expect(plain.readLine()?.hasPrefix("ERR auth") == true)
        // A correctly signed request, captured and sent again: the copy is refused.
        let signed = RequestSigner(key: cluster.key).signedLine(for: try Request(verb: AdminVerb.directory, arguments: [#"{"listUsers":{}}"#]))
        let replay = try RawConnection(host: admin.host, port: admin.port)
        replay.send(Array("\(signed)\n\(signed)\n".utf8))
        #expect(replay.readLine()?.hasPrefix("OK") == true)
        #expect(replay.readLine()?.hasPrefix("ERR auth replayed") == true)
        let wrongKey = RequestSigner(key: ClusterKey.generate()).signedLine(for: try Request(verb: AdminVerb.directory, arguments: [command]))
        let forged = try RawConnection(host: admin.host, port: admin.port)
        forged.send(Array("\(wrongKey)\n".utf8))
        #expect(forged.readLine()?.hasPrefix("ERR auth") == true)
        #expect(try await cluster.status(of: "lb1").directory.digest == before)
        #expect(try await cluster.login("alice", via: ["lb1"]) == .ok([cluster.address(11)]))
    }

    @Test func junkOversizedLinesAndThousandsOfIdleConnectionsDoNotStopTheAnswers() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2], balancers: ["lb1"])
        let endpoint = cluster.clientEndpoint("lb1")
        // 2,000 connections that never say anything, and 200 that send half a line and stop.
        var idle: [RawConnection] = []
        for index in 0..<2200 {
            let connection = try RawConnection(host: endpoint.host, port: endpoint.port)
            if index >= 2000 { connection.send(Array("SERVER ali".utf8)); connection.halfClose() }
            idle.append(connection)
        }
        let junk = try RawConnection(host: endpoint.host, port: endpoint.port)
        junk.send((0..<4096).map { _ in UInt8.random(in: 0...255) } + [0x0A])
        let oversized = try RawConnection(host: endpoint.host, port: endpoint.port)
        oversized.send(Array(repeating: UInt8(ascii: "A"), count: 100_000))
        #expect(oversized.readLine()?.hasPrefix("ERR too-long") == true)
        let binary = try RawConnection(host: endpoint.host, port: endpoint.port)
        binary.send([0xFF, 0xFE, 0x00, 0x0A])
        #expect(binary.readLine()?.hasPrefix("ERR") == true)
        let halfClosed = try RawConnection(host: endpoint.host, port: endpoint.port)
        halfClosed.send(Array("SERVER alice\n".utf8))
        halfClosed.halfClose()
        #expect(halfClosed.readLine() == "OK \(cluster.address(11))")
        for _ in 0..<20 {
            #expect(try await cluster.login("alice", via: ["lb1"], timeout: .seconds(2)) == .ok([cluster.address(11)]))
        }
        #expect(cluster.balancers["lb1"]?.isRunning == true)
        idle.removeAll()
    }
}
}
