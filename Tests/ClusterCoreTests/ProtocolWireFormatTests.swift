import Testing

@testable import ClusterCore

@Suite("Protocol tokens, requests and responses")
struct ProtocolWireFormatTests {
    static let awkwardStrings = [
        "", "plain", "two words", "100%", "%41", "tab\there", "line\nbreak\r\n", "nul\u{0}byte",
        "del\u{7F}", "ünïcödé ✓ 日本", "{\"group\": [\"staff\", \"lab 3\"]}", " ", "%", "a\u{301} b",
    ]

    // Not a parameterised test: the arguments' control characters would garble the test log.
    @Test func anyStringSurvivesTokenEncoding() throws {
        for value in Self.awkwardStrings {
            let token = ProtocolToken.encode(value)
            #expect(!token.utf8.contains { $0 <= 0x20 || $0 == 0x7F })
            #expect(try ProtocolToken.decode(token) == value)
        }
    }

    @Test func tokenEncodingEscapesOnlyWhatItMust() {
        #expect(ProtocolToken.encode("alice") == "alice")
        #expect(ProtocolToken.encode("a b%c\t") == "a%20b%25c%09")
        #expect(ProtocolToken.encode("café") == "café")
    }

    @Test func tokenDecodingAcceptsEitherHexCase() throws {
        #expect(try ProtocolToken.decode("%c3%a9t%C3%A9") == "été")
    }

    @Test func tokenDecodingRejectsBadEscapesAndControls() {
        #expect(throws: ProtocolError.malformedEscape(token: 0)) { try ProtocolToken.decode("abc%4") }
        #expect(throws: ProtocolError.malformedEscape(token: 0)) { try ProtocolToken.decode("%zz") }
        #expect(throws: ProtocolError.malformedEscape(token: 0)) { try ProtocolToken.decode("%") }
        #expect(throws: ProtocolError.invalidUTF8(token: 2)) { try ProtocolToken.decode("%FF", position: 2) }
        #expect(throws: ProtocolError.forbiddenCharacter(byte: 0x09, token: 0)) { try ProtocolToken.decode("a\tb") }
        #expect(throws: ProtocolError.forbiddenCharacter(byte: 0x20, token: 0)) { try ProtocolToken.decode("a b") }
    }

    @Test func requestRoundTripsWithAnyArguments() throws {
        let request = try Request(verb: "USER-ADD", arguments: Self.awkwardStrings)
        #expect(try Request(parsing: request.serialized()) == request)
        #expect(try Request(verb: "PING").serialized() == "PING")
    }

    @Test func requestParsesVerbAndDecodedArguments() throws {
        let request = try Request(parsing: "USER-ADD alice {\"room\":%20\"lab%203\"}")
        #expect(request.verb == "USER-ADD")
        #expect(request.arguments == ["alice", "{\"room\": \"lab 3\"}"])
    }

    @Test func eachSpaceSeparatesSoEmptyArgumentsTravel() throws {
        #expect(try Request(parsing: "SET a  b").arguments == ["a", "", "b"])
        #expect(try Request(parsing: "SET ").arguments == [""])
        #expect(try Request(verb: "SET", arguments: ["", "x"]).serialized() == "SET  x")
    }

    @Test func requestParseErrors() {
        #expect(throws: ProtocolError.emptyLine) { try Request(parsing: "") }
        #expect(throws: ProtocolError.invalidVerb("ping")) { try Request(parsing: "ping") }
        #expect(throws: ProtocolError.invalidVerb("")) { try Request(parsing: " PING") }
        #expect(throws: ProtocolError.invalidVerb("USER_ADD")) { try Request(parsing: "USER_ADD x") }
        let longVerb = String(repeating: "A", count: 33)
        #expect(throws: ProtocolError.invalidVerb(longVerb)) { try Request(parsing: longVerb) }
        #expect(throws: Never.self) { try Request(parsing: String(repeating: "A", count: 32)) }
        #expect(throws: ProtocolError.forbiddenCharacter(byte: 0x00, token: 2)) { try Request(parsing: "ECHO a b\u{0}") }
        #expect(throws: ProtocolError.malformedEscape(token: 1)) { try Request(parsing: "ECHO %G0") }
        #expect(throws: ProtocolError.invalidVerb("x")) { try Request(verb: "x") }
    }

    @Test func responseSerialisation() {
        #expect(Response.ok([]).serialized() == "OK")
        #expect(Response.ok(["a", "b c"]).serialized() == "OK a b%20c")
        #expect(Response.error(.notFound, "user alice is not in the directory").serialized()
            == "ERR not-found user alice is not in the directory")
        #expect(Response.error(.internal, "").serialized() == "ERR internal")
        #expect(Response.error(.invalid, "two\nlines\r").serialized() == "ERR invalid two lines ")
        #expect(Response.error(.other("Not Valid"), "x").serialized() == "ERR internal x")
    }

    @Test func responseRoundTrips() throws {
        for response in [
            Response.ok([]), .ok(["10.0.0.7", "3"]), .ok([""]), .ok(Self.awkwardStrings),
            .error(.rateLimited, "slow down"), .error(.timeout, ""), .error(.other("future-code"), "x y"),
        ] {
            #expect(try Response(parsing: response.serialized()) == response)
        }
    }

    @Test func responseParsesEveryKnownCodeAndKeepsUnknownOnes() throws {
        for code in ErrorCode.known {
            #expect(try Response(parsing: "ERR \(code.rawValue) text") == .error(code, "text"))
        }
        #expect(try Response(parsing: "ERR quota-exceeded disk full") == .error(.other("quota-exceeded"), "disk full"))
        #expect(ErrorCode(rawValue: "unknown-verb") == .unknownVerb)
        #expect(ErrorCode.known.map(\.rawValue) == [
            "syntax", "unknown-verb", "auth", "not-found", "conflict", "invalid",
            "too-long", "encoding", "timeout", "unavailable", "rate-limited", "internal",
        ])
    }

    @Test func responseParseErrors() {
        #expect(throws: ProtocolError.unknownResponseKind("HELLO")) { try Response(parsing: "HELLO") }
        #expect(throws: ProtocolError.unknownResponseKind("ok")) { try Response(parsing: "ok") }
        #expect(throws: ProtocolError.unknownResponseKind("")) { try Response(parsing: "") }
        #expect(throws: ProtocolError.invalidErrorCode("")) { try Response(parsing: "ERR") }
        #expect(throws: ProtocolError.invalidErrorCode("")) { try Response(parsing: "ERR  text") }
        #expect(throws: ProtocolError.invalidErrorCode("Not-Found")) { try Response(parsing: "ERR Not-Found x") }
        #expect(throws: ProtocolError.malformedEscape(token: 1)) { try Response(parsing: "OK %") }
    }

    @Test func errorMessagesQuoteAtMostAShortExcerpt() {
        let message = ProtocolError.invalidVerb(String(repeating: "x", count: 500) + "\n").description
        #expect(message.count < 150)
        #expect(!message.contains("\n"))
    }
}
