import NIOCore
import Testing

@testable import ClusterCore

@Suite("DHCP option overload, concatenation and size limits")
struct DHCPOverloadTests {
    typealias Packet = DHCPTestPacket

    @Test func overloadedFieldsAreReadAfterTheOptionsFieldFileBeforeSname() throws {
        let file: [UInt8] = [12, 3, 0x61, 0x62, 0x63, 255]
        let sname: [UInt8] = [12, 2, 0x64, 0x65, 67, 1, 0x78, 255]
        let message = try Packet.parse(Packet.bytes(sname: sname, file: file, options: [53, 1, 1, 52, 1, 3, 12, 1, 0x7a, 255]))
        #expect(message.options.hostName == "zabcde")
        #expect(message.options.bootFileName == "x")
        #expect(message.options[.overload] == nil)
        #expect(message.file.isEmpty && message.sname.isEmpty)
    }

    @Test func withoutOverloadFileAndSnameAreNames() throws {
        let message = try Packet.parse(Packet.bytes(sname: Array("boot1".utf8), file: Array("pxelinux.0".utf8), options: [53, 1, 2, 255]))
        #expect(message.file == Array("pxelinux.0".utf8))
        #expect(message.sname == Array("boot1".utf8))
    }

    @Test func writerSplitsLongValuesAndPadsToTheBOOTPMinimum() throws {
        var message = DHCPMessage(op: 2, xid: 7, chaddr: [2, 0, 0, 0, 0, 1])
        message.options.messageType = .ack
        message.options[DHCPOptionCode(43)] = [UInt8](repeating: 9, count: 300)
        let bytes = Packet.serialize(message)
        #expect(Array(bytes[240..<243]) == [53, 1, 5])
        #expect(Array(bytes[243..<245]) == [43, 255])
        #expect(Array(bytes[500..<502]) == [43, 45])
        #expect(try Packet.parse(bytes) == message)
        #expect(Packet.serialize(DHCPMessage(op: 1, xid: 1, chaddr: [])).count == DHCPMessage.minimumBOOTPSize)
    }

    @Test func writerPutsMessageTypeFirstAndRelayAgentInformationLast() {
        var message = DHCPMessage(op: 2, xid: 7, chaddr: [])
        message.options.relayAgentInformation = [1, 2, 0x65, 0x30]
        message.options.leaseTime = 3600
        message.options.messageType = .offer
        let bytes = Packet.serialize(message)
        #expect(Array(bytes[240..<255]) == [53, 1, 2, 51, 4, 0, 0, 0x0e, 0x10, 82, 4, 1, 2, 0x65, 0x30])
        #expect(bytes[255] == 255)
    }

    @Test func optionsBeyondTheClientsMaximumGoIntoFileThenSname() throws {
        var message = DHCPMessage(op: 2, xid: 7, chaddr: [2, 0, 0, 0, 0, 1])
        message.options.messageType = .offer
        message.options.rootPath = String(repeating: "r", count: 250)
        message.options[DHCPOptionCode(43)] = [UInt8](repeating: 1, count: 120)
        message.options[DHCPOptionCode(224)] = [UInt8](repeating: 2, count: 60)
        message.options[DHCPOptionCode(225)] = [UInt8](repeating: 3, count: 50)
        var buffer = ByteBuffer()
        try message.write(to: &buffer, maximumMessageSize: 576)
        #expect(buffer.readableBytes <= 548)
        let bytes = Array(buffer.readableBytesView)
        #expect(Array(bytes[240..<246]) == [53, 1, 2, 52, 1, 3])
        #expect(try Packet.parse(bytes) == message)
    }

    @Test func smallReplyIgnoresTheLimitAndIsNotOverloaded() throws {
        var message = DHCPMessage(op: 2, xid: 7, chaddr: [])
        message.options.messageType = .ack
        var buffer = ByteBuffer()
        try message.write(to: &buffer, maximumMessageSize: 576)
        #expect(Array(buffer.readableBytesView) == Packet.serialize(message))
    }

    @Test func optionsThatFitNowhereThrowAndWriteNothing() {
        var message = DHCPMessage(op: 2, xid: 7, chaddr: [], file: Array("pxelinux.0".utf8))
        message.options[DHCPOptionCode(43)] = [UInt8](repeating: 1, count: 600)
        var buffer = ByteBuffer()
        #expect(throws: DHCPSerializationError.self) { try message.write(to: &buffer, maximumMessageSize: 576) }
        #expect(buffer.readableBytes == 0)
    }

    @Test func typedAccessorsRoundTrip() throws {
        var options = DHCPOptions()
        options.leaseTime = 86_400; options.renewalTime = 43_200; options.rebindingTime = 75_600
        options.domainNameServers = [IPv4Address(10, 0, 0, 2), IPv4Address(10, 0, 0, 3)]
        options.clientSystemArchitectures = [.efiX86_64]
        options.userClasses = [Array("iPXE".utf8), Array("lab".utf8)]
        options.maximumMessageSize = 1500; options.domainName = "lab.example"
        let message = try Packet.parse(Packet.serialize(DHCPMessage(op: 1, xid: 9, chaddr: [], options: options)))
        #expect(message.options == options)
        #expect(message.options.clientSystemArchitectures == [.efiX86_64])
        #expect(message.options.hasUserClass("iPXE"))
        #expect(message.options.maximumMessageSize == 1500)
    }

    @Test func iPXEPlainUserClassReadsAsOneClass() {
        var options = DHCPOptions()
        options[.userClass] = Array("iPXE".utf8)
        #expect(options.userClasses == [Array("iPXE".utf8)])
        #expect(options.hasUserClass("iPXE"))
    }

    @Test func broadcastFlagIsTheLeftmostBit() throws {
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 1, 255]))
        #expect(message.isBroadcast)
        #expect(message.macAddress == [2, 0, 0x0a, 0, 0, 1])
    }
}
