import NIOCore
import Testing

@testable import ClusterCore

@Suite("DHCP messages captured from real clients and servers")
struct DHCPFixtureTests {
    @Test(arguments: DHCPTestPacket.fixtureNames)
    func everyCapturedPacketParsesAndRoundTrips(name: String) throws {
        let bytes = try DHCPTestPacket.fixture(name)
        let message = try DHCPTestPacket.parse(bytes)
        let written = DHCPTestPacket.serialize(message)
        #expect(try DHCPTestPacket.parse(written) == message)
        // None of these clients overloads or repeats options, so the bytes are ours to the letter.
        #expect(written == bytes || name.hasPrefix("udhcpd"), "only udhcpd orders options differently")
    }

    @Test func dhclientDiscoverCarriesHostNameRequestListAndClientIdentifier() throws {
        let message = try DHCPTestPacket.parse(try DHCPTestPacket.fixture("dhclient-discover"))
        #expect(message.op == DHCPMessage.bootRequest)
        #expect(message.macAddress == [0x02, 0x00, 0x0a, 0xe7, 0x07, 0x63])
        #expect(message.options.messageType == .discover)
        #expect(message.options.hostName == "tc-fixture-host")
        #expect(message.options.clientIdentifier == [1, 0x02, 0x00, 0x0a, 0xe7, 0x07, 0x63])
        #expect(message.options.parameterRequestList == [1, 3, 6, 12, 15, 17, 66, 67].map(DHCPOptionCode.init(rawValue:)))
        #expect(message.options.serverIdentifier == nil)
    }

    @Test func dhclientInitRebootRequestHasRequestedAddressButNoServerIdentifier() throws {
        let message = try DHCPTestPacket.parse(try DHCPTestPacket.fixture("dhclient-request-init-reboot"))
        #expect(message.options.messageType == .request)
        #expect(message.options.requestedIPAddress != nil)
        #expect(message.options.serverIdentifier == nil)
        #expect(message.ciaddr == .any)
    }

    @Test func udhcpcRequestNamesTheSelectedServerAndItsLimits() throws {
        let message = try DHCPTestPacket.parse(try DHCPTestPacket.fixture("udhcpc-request"))
        #expect(message.options.messageType == .request)
        #expect(message.options.requestedIPAddress == IPv4Address("10.231.7.140"))
        #expect(message.options.serverIdentifier == IPv4Address("10.231.7.1"))
        #expect(message.options.maximumMessageSize == 576)
        #expect(message.options.vendorClassIdentifier == "tc-udhcpc-vendor")
        #expect(message.options.hostName == "tc-udhcpc")
    }

    @Test func udhcpdOfferCarriesTheBootOptionsAServerSends() throws {
        let message = try DHCPTestPacket.parse(try DHCPTestPacket.fixture("udhcpd-offer-to-dhclient"))
        #expect(message.op == DHCPMessage.bootReply)
        #expect(message.options.messageType == .offer)
        #expect(message.yiaddr == IPv4Address("10.231.7.139"))
        #expect(message.siaddr == IPv4Address("10.231.7.1"))
        #expect(message.options.serverIdentifier == IPv4Address("10.231.7.1"))
        #expect(message.options.leaseTime == 3600)
        #expect(message.options.subnetMask == IPv4Address("255.255.255.0"))
        #expect(message.options.routers == [IPv4Address(10, 231, 7, 1)])
        #expect(message.options.rootPath == "10.231.7.1:/srv/nfsroot")
        #expect(message.options.tftpServerName == "10.231.7.1")
        #expect(message.options.bootFileName == "pxelinux.0")
    }
}
