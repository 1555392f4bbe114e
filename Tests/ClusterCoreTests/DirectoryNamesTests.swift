import Testing
@testable import ClusterCore

@Suite struct DirectoryNamesTests {
    @Test(arguments: ["alice", "a.b", "user_1", "Bob-2", "x", String(repeating: "a", count: 32)])
    func portableUsernamesAreAccepted(_ name: String) throws {
        try Names.validateUsername(name)
    }

    @Test(arguments: ["", "-alice", "12345", "al ice", "al/ice", "élodie", "a:b", String(repeating: "a", count: 33), "a\u{0}b"])
    func nonPortableUsernamesAreRefused(_ name: String) {
        #expect(throws: DirectoryError.self) { try Names.validateUsername(name) }
    }

    @Test(arguments: ["tc-01", "lab3.school.example", "a", "x1"])
    func hostnamesAreAccepted(_ name: String) throws {
        try Names.validateHostname(name)
    }

    @Test(arguments: ["", "-tc", "tc-", "a..b", "tc_01", "tc 01", String(repeating: "a", count: 64), "a."])
    func badHostnamesAreRefused(_ name: String) {
        #expect(throws: DirectoryError.self) { try Names.validateHostname(name) }
    }

    @Test(arguments: ["52:54:00:12:34:56", "52-54-00-12-34-56", "5254.0012.3456", "525400123456", "52:54:00:12:34:56".uppercased()])
    func macAddressFormsParseToOneCanonicalForm(_ text: String) throws {
        #expect(try MACAddress(parsing: text).description == "52:54:00:12:34:56")
    }

    @Test(arguments: ["52:54:00:12:34", "52:54:00:12:34:5g", "52:54:00:12:34:56:78", "5254:0012:3456", "52:5400:12:34:56", ""])
    func malformedMACAddressesAreRefused(_ text: String) {
        #expect(throws: DirectoryError.self) { try MACAddress(parsing: text) }
    }

    @Test(arguments: ["10.0.0.1", "192.168.1.200", "255.255.255.255"])
    func ipv4AddressesAreAccepted(_ text: String) throws {
        try Names.validateIPv4(text)
    }

    @Test(arguments: ["10.0.0", "10.0.0.256", "::1", "ten.0.0.1", "010.0.0.1 ", ""])
    func badIPv4AddressesAreRefused(_ text: String) {
        #expect(throws: DirectoryError.self) { try Names.validateIPv4(text) }
    }

    @Test func hybridClockTicksForwardEvenWhenTheWallClockLags() {
        let last = HybridTimestamp(milliseconds: 5000, counter: 7)
        #expect(HybridClock.tick(after: last, wallMilliseconds: 4000) == HybridTimestamp(milliseconds: 5000, counter: 8))
        #expect(HybridClock.tick(after: last, wallMilliseconds: 6000) == HybridTimestamp(milliseconds: 6000, counter: 0))
        let full = HybridTimestamp(milliseconds: 5000, counter: .max)
        #expect(HybridClock.tick(after: full, wallMilliseconds: 5000) == HybridTimestamp(milliseconds: 5001, counter: 0))
    }
}
