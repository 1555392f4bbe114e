import Foundation
import NIOCore
import Testing

@testable import ClusterCore

@Suite("RequestDispatcher")
struct ProtocolRequestDispatcherTests {
    static let key = try! ClusterKey(bytes: Array(0..<32))

    private func dispatcher(
        handler: ScriptedHandler = ScriptedHandler(),
        authenticator: RequestAuthenticator? = nil
    ) -> RequestDispatcher {
        RequestDispatcher(handler: handler, authenticator: authenticator, maximumLineLength: 8192)
    }

    @Test func framingAndSyntaxProblemsAreAnsweredWithoutTheHandler() async throws {
        let handler = ScriptedHandler()
        let dispatcher = dispatcher(handler: handler)
        #expect(await dispatcher.response(to: .line(""), peer: nil) == .error(.syntax, "empty request"))
        #expect(await dispatcher.response(to: .tooLong, peer: nil)
            == .error(.tooLong, "request line exceeds 8192 bytes; closing connection"))
        #expect(await dispatcher.response(to: .invalidEncoding, peer: nil)
            == .error(.encoding, "request line is not valid UTF-8"))
        guard case .error(.syntax, _) = await dispatcher.response(to: .line("ping"), peer: nil) else {
            Issue.record("a lowercase verb must be a syntax error")
            return
        }
        #expect(await handler.seen.requests.isEmpty)
    }

    @Test func requestsReachTheHandlerWithTheirContext() async throws {
        let dispatcher = dispatcher(authenticator: RequestAuthenticator(key: Self.key, protectedVerbs: ["DRAIN"]))
        #expect(await dispatcher.response(to: .line("WHOAMI"), peer: nil) == .ok(["plain"]))
        let signed = RequestSigner(key: Self.key).signedLine(for: try Request(verb: "DRAIN"))
        #expect(await dispatcher.response(to: .line(signed), peer: nil) == .ok(["authenticated"]))
    }

    @Test func authenticationFailuresNeverReachTheHandler() async throws {
        let handler = ScriptedHandler()
        let dispatcher = dispatcher(
            handler: handler, authenticator: RequestAuthenticator(key: Self.key, protectedVerbs: ["DRAIN"])
        )
        let unsigned = await dispatcher.response(to: .line("DRAIN"), peer: nil)
        #expect(unsigned == AuthenticationFailure.unsigned(verb: "DRAIN").response)
        let wrongKey = RequestSigner(key: ClusterKey.generate()).signedLine(for: try Request(verb: "DRAIN"))
        #expect(await dispatcher.response(to: .line(wrongKey), peer: nil) == AuthenticationFailure.badMAC.response)
        #expect(await handler.seen.requests.isEmpty)
    }

    @Test func withoutAKeySignedRequestsAreRefused() async throws {
        let signed = RequestSigner(key: Self.key).signedLine(for: try Request(verb: "PING"))
        #expect(await dispatcher().response(to: .line(signed), peer: nil) == AuthenticationFailure.noKey.response)
    }
}
