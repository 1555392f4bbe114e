import ClusterCore
import Testing

@Suite("host:port addresses in the configuration")
struct ConfigEndpointTests {
    @Test(arguments: [
        ("lb1.example.org:4000", "lb1.example.org", 4000),
        ("lb1:1", "lb1", 1),
        ("192.0.2.10:65535", "192.0.2.10", 65535),
        ("[2001:db8::10]:4000", "2001:db8::10", 4000),
        ("[::1]:80", "::1", 80),
    ] as [(String, String, UInt16)])
    func validAddressesParse(text: String, host: String, port: UInt16) throws {
        let address = try Endpoint(parsing: text)

        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: [
        "lb1", "lb1:", ":4000", "lb1:0", "lb1:65536", "lb1:+80", "lb1:4000x", "lb_1:4000",
        "2001:db8::1:4000", "[2001:db8::1]", "[2001:db8::1]4000", "[lb1]:4000", "10.0.0.300:4000", "",
    ])
    func malformedAddressesAreRefused(text: String) {
        #expect((try? Endpoint(parsing: text)) == nil)
    }

}
