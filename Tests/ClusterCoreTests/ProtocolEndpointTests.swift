import Testing

@testable import ClusterCore

@Suite("Endpoint")
struct ProtocolEndpointTests {
    @Test func parsesNamesIPv4AndBracketedIPv6() throws {
        #expect(try Endpoint(parsing: "lb1.example.net:4000") == Endpoint(host: "lb1.example.net", port: 4000))
        #expect(try Endpoint(parsing: "10.0.0.7:1") == Endpoint(host: "10.0.0.7", port: 1))
        #expect(try Endpoint(parsing: "[fd00::1]:65535") == Endpoint(host: "fd00::1", port: 65535))
        #expect(Endpoint(host: "fd00::1", port: 4000).description == "[fd00::1]:4000")
        #expect(Endpoint(host: "lb1", port: 4000).description == "lb1:4000")
    }

    @Test func descriptionParsesBack() throws {
        for endpoint in [Endpoint(host: "::1", port: 80), Endpoint(host: "lb", port: 4000)] {
            #expect(try Endpoint(parsing: endpoint.description) == endpoint)
        }
    }

    @Test func parseErrorsSayWhatIsWrong() {
        #expect(throws: EndpointError.empty) { try Endpoint(parsing: "") }
        #expect(throws: EndpointError.missingPort("lb1")) { try Endpoint(parsing: "lb1") }
        #expect(throws: EndpointError.invalidPort("lb1:")) { try Endpoint(parsing: "lb1:") }
        #expect(throws: EndpointError.invalidPort("lb1:0")) { try Endpoint(parsing: "lb1:0") }
        #expect(throws: EndpointError.invalidPort("lb1:65536")) { try Endpoint(parsing: "lb1:65536") }
        #expect(throws: EndpointError.invalidPort("lb1:+80")) { try Endpoint(parsing: "lb1:+80") }
        #expect(throws: EndpointError.emptyHost(":80")) { try Endpoint(parsing: ":80") }
        #expect(throws: EndpointError.unbracketedIPv6("fd00::1:80")) { try Endpoint(parsing: "fd00::1:80") }
        #expect(throws: EndpointError.unclosedBracket("[fd00::1:80")) { try Endpoint(parsing: "[fd00::1:80") }
        #expect(throws: EndpointError.missingPort("[fd00::1]")) { try Endpoint(parsing: "[fd00::1]") }
        #expect(throws: EndpointError.bracketedNonIPv6("[lb1]:80")) { try Endpoint(parsing: "[lb1]:80") }
        #expect(throws: EndpointError.invalidCharacter("lb 1:80")) { try Endpoint(parsing: "lb 1:80") }
        #expect(EndpointError.unbracketedIPv6("fd00::1:80").description.contains("[fd00::1]:4000"))
    }
}
