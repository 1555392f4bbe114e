import Foundation
import NIOCore

@testable import ClusterCore

/// Captured packets and hand-built ones for the DHCP parser tests.
enum DHCPTestPacket {
    /// A UDP payload captured from a real client or server (Fixtures/dhcp/README.md).
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dhcp/\(name).bin")
        return Array(try Data(contentsOf: url))
    }

    static let fixtureNames = [
        "dhclient-discover", "dhclient-request", "dhclient-request-init-reboot", "udhcpc-discover",
        "udhcpc-request", "udhcpd-offer-to-dhclient", "udhcpd-ack-to-dhclient", "udhcpd-offer-to-udhcpc",
        "udhcpd-ack-to-udhcpc", "dhcpcd-discover", "ipxe-discover",
    ]

    /// A BOOTREQUEST header from MAC 02:00:0a:00:00:01, then `options` as raw bytes.
    static func bytes(hlen: UInt8 = 6, sname: [UInt8] = [], file: [UInt8] = [], cookie: [UInt8] = [99, 130, 83, 99], options: [UInt8]) -> [UInt8] {
        var header: [UInt8] = [1, 1, hlen, 0, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0x80, 0] + [UInt8](repeating: 0, count: 16)
        header += [2, 0, 0x0a, 0, 0, 1] + [UInt8](repeating: 0, count: 10)
        header += sname + [UInt8](repeating: 0, count: 64 - sname.count)
        header += file + [UInt8](repeating: 0, count: 128 - file.count)
        return header + cookie + options
    }

    static func parse(_ bytes: [UInt8]) throws(DHCPParseError) -> DHCPMessage {
        var buffer = ByteBuffer(bytes: bytes)
        return try DHCPMessage(parsing: &buffer)
    }

    static func serialize(_ message: DHCPMessage) -> [UInt8] {
        var buffer = ByteBuffer()
        message.write(to: &buffer)
        return Array(buffer.readableBytesView)
    }
}
