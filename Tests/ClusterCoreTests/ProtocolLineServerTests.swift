import ClusterTestSupport
import Foundation
import NIOCore
import Testing

@testable import ClusterCore

@Suite("LineServer over real sockets")
struct ProtocolLineServerTests {
    @Test func answersEachRequestLineInOrder() async throws {
        try await withLineServer { _, port in
            try await withTimeout {
                try await RawConnection.with(port: port) { connection in
                    try await connection.send("PING\r\nECHO a%20b c\n\nMISSING\n")
                    #expect(try await connection.readLine() == "OK PONG")
                    #expect(try await connection.readLine() == "OK a%20b c")
                    #expect(try await connection.readLine() == "ERR syntax empty request")
                    #expect(try await connection.readLine() == "ERR not-found user alice is not in the directory")
                }
            }
        }
    }

    @Test func aSilentClientIsAnsweredTimeoutAndClosed() async throws {
        try await withLineServer(idleTimeout: .milliseconds(300)) { _, port in
            let start = ContinuousClock.now
            let received = try await withTimeout {
                try await RawConnection.with(port: port) { try await $0.readToEnd() }
            }
            #expect(received == "ERR timeout idle connection closed\n")
            #expect(ContinuousClock.now - start >= .milliseconds(250))
        }
    }

    @Test func aClientThatStopsMidLineIsAnsweredTimeoutAndClosed() async throws {
        try await withLineServer(idleTimeout: .milliseconds(300)) { _, port in
            let received = try await withTimeout {
                try await RawConnection.with(port: port) { connection in
                    try await connection.send("PING\nPI")
                    return try await connection.readToEnd()
                }
            }
            #expect(received == "OK PONG\nERR timeout idle connection closed\n")
        }
    }

    @Test func anOversizedLineIsAnsweredTooLongAndClosed() async throws {
        try await withLineServer(maximumLineLength: 64) { _, port in
            let received = try await withTimeout {
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(String(repeating: "A", count: 65) + "\nPING\n")
                    return try await connection.readToEnd()
                }
            }
            #expect(received == "ERR too-long request line exceeds 64 bytes; closing connection\n")
        }
    }

    @Test func aFloodWithoutNewlineIsCutOffAndStillAnswered() async throws {
        try await withLineServer(maximumLineLength: 64) { _, port in
            let received = try await withTimeout {
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(bytes: Array(repeating: UInt8(ascii: "x"), count: 1 << 20))
                    return try await connection.readToEnd()
                }
            }
            #expect(received == "ERR too-long request line exceeds 64 bytes; closing connection\n")
        }
    }

    @Test func binaryJunkFromOneClientDoesNotStopTheServerAnsweringAnother() async throws {
        try await withLineServer { _, port in
            try await withTimeout {
                try await RawConnection.with(port: port) { hostile in
                    try await hostile.send(bytes: [0xFF, 0xFE, 0x00, 0x80, 0x0A, 0x01, 0x02, 0x0A, 0xC3])
                    #expect(try await hostile.readLine() == "ERR encoding request line is not valid UTF-8")
                    #expect(try await hostile.readLine()?.hasPrefix("ERR syntax ") == true)
                    try await RawConnection.with(port: port) { polite in
                        try await polite.send("PING\n")
                        #expect(try await polite.readLine() == "OK PONG")
                    }
                    // The hostile connection itself recovers at the next line.
                    try await hostile.send("\nPING\n")
                    #expect(try await hostile.readLine() == "ERR encoding request line is not valid UTF-8")
                    #expect(try await hostile.readLine() == "OK PONG")
                }
            }
        }
    }

    @Test func aSlowRequestDoesNotDelayOtherConnections() async throws {
        try await withLineServer { _, port in
            try await withTimeout {
                try await RawConnection.with(port: port) { slow in
                    try await slow.send("HANG\n")
                    try await RawConnection.with(port: port) { other in
                        try await other.send("PING\n")
                        #expect(try await other.readLine() == "OK PONG")
                    }
                }
            }
        }
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnce() async throws {
        try await withLineServer(maximumConnections: 1) { _, port in
            try await withTimeout {
                try await RawConnection.with(port: port) { first in
                    try await first.send("PING\n")
                    #expect(try await first.readLine() == "OK PONG")
                    let refused = try await RawConnection.with(port: port) { try await $0.readToEnd() }
                    #expect(refused == "")
                }
                // The slot is released once the first connection has gone; no event announces
                // that to a client, so retry briefly.
                var answer: String?
                for _ in 0..<100 where answer != "OK PONG" {
                    answer = try? await RawConnection.with(port: port) { connection in
                        try await connection.send("PING\n")
                        return try await connection.readLine()
                    }
                    if answer != "OK PONG" { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(answer == "OK PONG")
            }
        }
    }

    @Test func cancellingRunClosesOpenConnectionsAndReturns() async throws {
        let server = LineServer(
            configuration: .init(host: "127.0.0.1", port: 0), handler: ScriptedHandler()
        )
        let running = Task { try await server.run() }
        let port = try await withTimeout { try await server.localPort() }
        try await withTimeout {
            try await RawConnection.with(port: port) { connection in
                try await connection.send("PING\n")
                #expect(try await connection.readLine() == "OK PONG")
                running.cancel()
                #expect(try await connection.readToEnd() == "")
            }
        }
        try await withTimeout { try await running.value }
        await #expect(throws: LineServerError.notRunning) { try await server.localPort() }
    }

    @Test func waitingForTheAddressOfAServerNotRunningCanBeCancelled() async throws {
        let server = LineServer(configuration: .init(host: "127.0.0.1", port: 0), handler: ScriptedHandler())
        await #expect(throws: TestTimedOut.self) {
            try await withTimeout(.milliseconds(100)) { try await server.localPort() }
        }
    }

    @Test func bindingAPortInUseFailsRunAndLocalAddress() async throws {
        try await withLineServer { _, port in
            let second = LineServer(configuration: .init(host: "127.0.0.1", port: port), handler: ScriptedHandler())
            try await withTimeout {
                await #expect(throws: (any Error).self) { try await second.run() }
                await #expect(throws: (any Error).self) { try await second.localPort() }
            }
        }
    }
}
