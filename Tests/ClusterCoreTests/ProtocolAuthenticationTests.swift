import Foundation
import Testing

@testable import ClusterCore

@Suite("Request signing and authentication")
struct ProtocolAuthenticationTests {
    static let key = try! ClusterKey(bytes: Array(0..<32))
    static let otherKey = try! ClusterKey(bytes: Array(repeating: 7, count: 32))
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let nonce = "00112233445566778899aabbccddeeff"

    private func signer(key: ClusterKey = key, at date: Date = now, nonce: String = nonce) -> RequestSigner {
        RequestSigner(key: key, clock: { date }, nonce: { nonce })
    }

    private func authenticator(at date: Date = now, capacity: Int = 16) -> RequestAuthenticator {
        RequestAuthenticator(
            key: Self.key, protectedVerbs: ["DRAIN", "USER-ADD"], replayCacheCapacity: capacity, clock: { date }
        )
    }

    @Test func theSignatureMatchesAnIndependentHMACComputation() throws {
        // Computed with Python's hmac module over
        // "thincluster-auth-v1\n1700000000000\n00112233445566778899aabbccddeeff\nUSER-ADD alice staff%20room".
        let line = signer().signedLine(for: try Request(verb: "USER-ADD", arguments: ["alice", "staff room"]))
        #expect(line == "AUTH 1700000000000 00112233445566778899aabbccddeeff "
            + "db74887acba45849cc618c3049c618fc6ff8bf1a7a929c7f5f68d0e50bca62cd USER-ADD alice staff%20room")
    }

    @Test func aGoodSignatureIsAccepted() async throws {
        let request = try Request(verb: "DRAIN", arguments: ["ltsp-3"])
        let outcome = try await authenticator().authenticate(signer().signedLine(for: request))
        #expect(outcome == .authenticated(request))
    }

    @Test func theExactBytesSentAreVerifiedNotAReserialisation() async throws {
        // %41 decodes to "A" but the MAC covers "%41" as sent.
        let line = signer().signedLine(forRequestLine: "USER-ADD %41")
        #expect(try await authenticator().authenticate(line) == .authenticated(try Request(verb: "USER-ADD", arguments: ["A"])))
        let tampered = line.replacingOccurrences(of: "%41", with: "A")
        #expect(try await authenticator().authenticate(tampered) == .rejected(.badMAC))
    }

    @Test func anUnsignedAdminVerbIsRejectedAndOtherVerbsPassPlain() async throws {
        let authenticator = authenticator()
        let outcome = try await authenticator.authenticate("DRAIN ltsp-3")
        #expect(outcome == .rejected(.unsigned(verb: "DRAIN")))
        #expect(AuthenticationFailure.unsigned(verb: "DRAIN").response.serialized()
            == "ERR auth unsigned: DRAIN requires a request signed with the cluster key")
        #expect(try await authenticator.authenticate("PING") == .plain(try Request(verb: "PING")))
    }

    @Test func aSignedNonAdminVerbIsAuthenticated() async throws {
        let line = signer().signedLine(for: try Request(verb: "PING"))
        #expect(try await authenticator().authenticate(line) == .authenticated(try Request(verb: "PING")))
    }

    @Test func aWrongKeyIsABadMAC() async throws {
        let line = signer(key: Self.otherKey).signedLine(for: try Request(verb: "DRAIN"))
        let outcome = try await authenticator().authenticate(line)
        #expect(outcome == .rejected(.badMAC))
        #expect(AuthenticationFailure.badMAC.response.serialized().hasPrefix("ERR auth bad-mac: "))
    }

    @Test func timestampsBeyondTheSkewAreStaleInEitherDirection() async throws {
        let request = try Request(verb: "DRAIN")
        let past = signer(at: Self.now.addingTimeInterval(-30.001)).signedLine(for: request)
        let future = signer(at: Self.now.addingTimeInterval(45)).signedLine(for: request)
        #expect(try await authenticator().authenticate(past)
            == .rejected(.stale(offsetMilliseconds: -30_001, allowedMilliseconds: 30_000)))
        #expect(try await authenticator().authenticate(future)
            == .rejected(.stale(offsetMilliseconds: 45_000, allowedMilliseconds: 30_000)))
        #expect(AuthenticationFailure.stale(offsetMilliseconds: -30_001, allowedMilliseconds: 30_000).description
            == "stale: timestamp is 30.001 s behind the server clock (allowed 30 s); check NTP on both hosts")
        let edge = signer(at: Self.now.addingTimeInterval(-30)).signedLine(for: request)
        #expect(try await authenticator().authenticate(edge) == .authenticated(request))
    }

    @Test func aReplayedNonceIsRejected() async throws {
        let authenticator = authenticator()
        let line = signer().signedLine(for: try Request(verb: "DRAIN"))
        #expect(try await authenticator.authenticate(line) == .authenticated(try Request(verb: "DRAIN")))
        #expect(try await authenticator.authenticate(line) == .rejected(.replayed))
        // Same nonce, different request: still a replay.
        let other = signer().signedLine(for: try Request(verb: "PING"))
        #expect(try await authenticator.authenticate(other) == .rejected(.replayed))
    }

    @Test func aFullReplayCacheRefusesNewNoncesWithUnavailable() async throws {
        let authenticator = authenticator(capacity: 1)
        let first = signer(nonce: String(repeating: "1", count: 32)).signedLine(for: try Request(verb: "DRAIN"))
        let second = signer(nonce: String(repeating: "2", count: 32)).signedLine(for: try Request(verb: "DRAIN"))
        #expect(try await authenticator.authenticate(first) == .authenticated(try Request(verb: "DRAIN")))
        #expect(try await authenticator.authenticate(second) == .rejected(.replayCacheFull))
        #expect(AuthenticationFailure.replayCacheFull.response == .error(.unavailable, "replay cache full, try another server"))
        #expect(await authenticator.rememberedNonceCount == 1)
    }

    @Test(arguments: [
        "AUTH",
        "AUTH 1700000000000 00112233445566778899aabbccddeeff",
        "AUTH 1700000000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 64))",
        "AUTH 1700000000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 64)) ",
        "AUTH -1700000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 64)) PING",
        "AUTH 17000000000000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 64)) PING",
        "AUTH 1700000000000 00112233445566778899AABBCCDDEEFF \(String(repeating: "a", count: 64)) PING",
        "AUTH 1700000000000 0011 \(String(repeating: "a", count: 64)) PING",
        "AUTH 1700000000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 63)) PING",
        "AUTH 1700000000000 00112233445566778899aabbccddeeff \(String(repeating: "g", count: 64)) PING",
        "AUTH  1700000000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 64)) PING",
        "AUTH 1700000000000 00112233445566778899aabbccddeeff \(String(repeating: "a", count: 64)) AUTH x",
    ])
    func malformedAuthLinesAreRejected(line: String) async throws {
        guard case .rejected(.malformed) = try await authenticator().authenticate(line) else {
            Issue.record("expected a malformed rejection for \(line)")
            return
        }
    }

    @Test func aValidSignatureOverABadRequestIsASyntaxError() async throws {
        let line = signer().signedLine(forRequestLine: "drain")
        await #expect(throws: ProtocolError.invalidVerb("drain")) { try await authenticator().authenticate(line) }
    }

    @Test func noncesAreForgottenAfterTwiceTheSkew() {
        var cache = NonceCache(capacity: 2, retentionMilliseconds: 60_000)
        #expect(cache.insert("a", now: 0) == .inserted)
        #expect(cache.insert("a", now: 59_999) == .duplicate)
        #expect(cache.insert("b", now: 1_000) == .inserted)
        #expect(cache.insert("c", now: 1_000) == .full)
        #expect(cache.insert("a", now: 60_000) == .inserted)
        #expect(cache.insert("c", now: 61_000) == .inserted)
        #expect(cache.count == 2)
    }

    @Test func theNonceCacheStaysBoundedUnderAFlood() {
        var cache = NonceCache(capacity: 1_000, retentionMilliseconds: 60_000)
        for index in 0..<100_000 {
            _ = cache.insert(String(index), now: Int64(index))
            #expect(cache.count <= 1_000)
        }
    }

    @Test func randomNoncesAreWellFormedAndDistinct() {
        let nonces = (0..<100).map { _ in RequestSigner.randomNonce() }
        #expect(Set(nonces).count == 100)
        #expect(nonces.allSatisfy { LowercaseHex.isValid($0, length: 32) })
    }
}
