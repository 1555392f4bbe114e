import ClusterTestSupport
import Foundation
import Testing

@testable import ClusterCore

@Suite("LineClient over real sockets")
struct ProtocolLineClientTests {
    static let key = try! ClusterKey(bytes: Array(0..<32))

    private func local(_ port: Int) -> Endpoint {
        Endpoint(host: "127.0.0.1", port: UInt16(port))
    }

    @Test func aWorkingServerAnswers() async throws {
        try await withLineServer { _, port in
            let client = LineClient(endpoints: [local(port)])
            let reply = try await withTimeout { try await client.send(Request(verb: "ECHO", arguments: ["a b", ""])) }
            #expect(reply == LineReply(response: .ok(["a b", ""]), endpoint: local(port)))
        }
    }

    @Test func aClosedPortAndAServerThatNeverAnswersAreSkipped() async throws {
        let closedPort = try RefusingPort()
        defer { closedPort.close() }
        let closed = closedPort.port
        try await withLineServer(handler: SilentHandler()) { _, silent in
            try await withLineServer { _, working in
                let client = LineClient(
                    endpoints: [local(closed), local(silent), local(working)], timeout: .milliseconds(300)
                )
                let start = ContinuousClock.now
                let reply = try await withTimeout { try await client.send(Request(verb: "PING")) }
                #expect(reply.response == .ok(["PONG"]))
                #expect(reply.endpoint == local(working))
                // A closed port answers with a reset; while the machine is busy with other tests'
                // connections the kernel sometimes reports it as a reset on read instead of a
                // refused connect. Either is a transport failure the client must pass over.
                #expect(reply.failures.map { $0.endpoint } == [local(closed), local(silent)])
                #expect([.refused, .reset].contains(reply.failures.first?.reason))
                #expect(reply.failures.last?.reason == .timedOut)
                #expect(ContinuousClock.now - start >= .milliseconds(250))
            }
        }
    }

    @Test func unavailableMovesOnButOtherErrorsAreTheAnswer() async throws {
        try await withLineServer(handler: UnavailableHandler()) { _, draining in
            try await withLineServer { _, working in
                let client = LineClient(endpoints: [local(draining), local(working)])
                let missing = try await withTimeout { try await client.send(Request(verb: "MISSING")) }
                #expect(missing.response == .error(.notFound, "user alice is not in the directory"))
                #expect(missing.endpoint == local(working))
                #expect(missing.failures == [EndpointFailure(endpoint: local(draining), reason: .unavailable("draining"))])

                let direct = LineClient(endpoints: [local(working), local(draining)])
                let unknown = try await withTimeout { try await direct.send(Request(verb: "NOPE")) }
                #expect(unknown.response == .error(.unknownVerb, "unknown verb NOPE"))
                #expect(unknown.endpoint == local(working))
            }
        }
    }

    @Test func aPeerThatClosesOrSpeaksGarbageIsSkipped() async throws {
        try await withRawServer(reply: nil) { closing in
            try await withRawServer(reply: "HTTP/1.1 400 Bad Request\r\n") { garbage in
                try await withLineServer { _, working in
                    let client = LineClient(endpoints: [local(closing), local(garbage), local(working)])
                    let reply = try await withTimeout { try await client.send(Request(verb: "PING")) }
                    #expect(reply.endpoint == local(working))
                    #expect(reply.failures.map(\.endpoint) == [local(closing), local(garbage)])
                    #expect([.closedWithoutAnswer, .reset].contains(reply.failures[0].reason))
                    guard case .invalidResponse = reply.failures[1].reason else {
                        Issue.record("expected an invalid response, got \(reply.failures[1].reason)")
                        return
                    }
                }
            }
        }
    }

    @Test func whenAllEndpointsFailTheErrorNamesEachAndWhy() async throws {
        let firstPort = try RefusingPort()
        defer { firstPort.close() }
        let first = firstPort.port
        let secondPort = try RefusingPort()
        defer { secondPort.close() }
        let second = secondPort.port
        let client = LineClient(endpoints: [local(first), local(second)], timeout: .milliseconds(500))
        let failures = [
            EndpointFailure(endpoint: local(first), reason: .refused),
            EndpointFailure(endpoint: local(second), reason: .refused),
        ]
        let thrown = try await withTimeout { () async throws -> LineClientError? in
            do {
                _ = try await client.send(Request(verb: "PING"))
                return nil
            } catch let error as LineClientError {
                return error
            }
        }
        guard case let .allEndpointsFailed(seen)? = thrown else {
            Issue.record("expected every endpoint to fail, got \(String(describing: thrown))")
            return
        }
        // Closed ports refuse; under load the kernel may report a reset instead (see above).
        #expect(seen.map { $0.endpoint } == failures.map { $0.endpoint })
        #expect(seen.allSatisfy { [.refused, .reset].contains($0.reason) })
        #expect(LineClientError.allEndpointsFailed(failures).description
            == "no endpoint answered: 127.0.0.1:\(first): connection refused; 127.0.0.1:\(second): connection refused")
    }

    @Test func noEndpointsIsAnError() async throws {
        await #expect(throws: LineClientError.noEndpoints) { try await LineClient(endpoints: []).send(Request(verb: "PING")) }
    }

    @Test func signedRequestsPassAndUnsignedAdminRequestsNeverReachTheHandler() async throws {
        let handler = ScriptedHandler()
        let authenticator = RequestAuthenticator(key: Self.key, protectedVerbs: ["DRAIN"])
        try await withLineServer(handler: handler, authenticator: authenticator) { _, port in
            let signed = LineClient(endpoints: [local(port)], signingKey: Self.key)
            let plain = LineClient(endpoints: [local(port)])
            let wrongKey = LineClient(endpoints: [local(port)], signingKey: ClusterKey.generate())
            try await withTimeout { () async throws -> Void in
                #expect(try await signed.send(Request(verb: "DRAIN")).response == .ok(["authenticated"]))
                #expect(try await plain.send(Request(verb: "DRAIN")).response
                    == AuthenticationFailure.unsigned(verb: "DRAIN").response)
                #expect(try await wrongKey.send(Request(verb: "DRAIN")).response == AuthenticationFailure.badMAC.response)
                #expect(try await plain.send(Request(verb: "WHOAMI")).response == .ok(["plain"]))
            }
            #expect(await handler.seen.verbs == ["DRAIN", "WHOAMI"])
        }
    }
}
