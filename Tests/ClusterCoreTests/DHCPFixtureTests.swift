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

    @Test func dhcpcdDiscoverCarriesAnRFC4361ClientIdentifierAndRapidCommit() throws {
        let message = try DHCPTestPacket.parse(try DHCPTestPacket.fixture("dhcpcd-discover"))
        #expect(message.op == DHCPMessage.bootRequest)
        #expect(message.macAddress == [0x02, 0x00, 0x0a, 0xe7, 0x07, 0x65])
        #expect(message.options.messageType == .discover)
        // Not type 1 and the MAC, as iPXE sends, so one machine shows two client identifiers: 255,
        // the IAID (the MAC's last four bytes), then the DUID, here DUID-LL (type 3, Ethernet, MAC).
        #expect(message.options.clientIdentifier == [0xff, 0x0a, 0xe7, 0x07, 0x65, 0, 3, 0, 1, 0x02, 0x00, 0x0a, 0xe7, 0x07, 0x65])
        #expect(message.options.parameterRequestList == [
            1, 121, 3, 6, 12, 15, 26, 28, 33, 51, 54, 58, 59, 119,
        ].map(DHCPOptionCode.init(rawValue:)))
        // The interface MTU, 1500, less the IP and UDP headers.
        #expect(message.options.maximumMessageSize == 1472)
        // Rapid commit (80, RFC 4039) has no value: present and empty is not absent.
        #expect(message.options[DHCPOptionCode(80)] == [UInt8]())
        // Debian's dhcpcd.conf blanks the vendor class, so nothing tells dhcpcd apart by class.
        #expect(message.options.vendorClassIdentifier == nil)
    }

    @Test func ipxeDiscoverSaysBIOSPXEAndIPXE() throws {
        let message = try DHCPTestPacket.parse(try DHCPTestPacket.fixture("ipxe-discover"))
        #expect(message.op == DHCPMessage.bootRequest)
        #expect(message.macAddress == [0x02, 0x00, 0x0a, 0xe7, 0x07, 0x66])
        #expect(message.options.messageType == .discover)
        #expect(message.options.clientSystemArchitectures == [.x86BIOS])
        #expect(message.options.vendorClassIdentifier == "PXEClient:Arch:00000:UNDI:002001")
        // The bare string, not RFC 3004's length-prefixed list: the typed view must read it too.
        #expect(message.options[.userClass] == Array("iPXE".utf8))
        #expect(message.options.hasUserClass("iPXE"))
        #expect(message.options.clientIdentifier == [1, 0x02, 0x00, 0x0a, 0xe7, 0x07, 0x66])
        #expect(message.options.maximumMessageSize == 1472)
        #expect(message.options.parameterRequestList == [
            1, 3, 6, 7, 12, 15, 17, 26, 43, 60, 66, 67, 119, 128, 129, 130, 131, 132, 133, 134, 135, 175, 203,
        ].map(DHCPOptionCode.init(rawValue:)))
        // iPXE's encapsulated options (175) open with its bus id: PCI 8086:100e, QEMU's e1000.
        #expect(message.options[DHCPOptionCode(175)]?.starts(with: [177, 5, 1, 0x80, 0x86, 0x10, 0x0e]) == true)
        // QEMU without -uuid gives the nil UUID (97, RFC 4578 §2.3): no way to tell machines apart.
        #expect(message.options[DHCPOptionCode(97)] == [UInt8](repeating: 0, count: 17))
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
