import ClusterCore
import Foundation
import Testing

@testable import DHCPd

/// The table tc-dhcpd answers from, read from a real directory file.
struct BindingTableTests {
    private func withDirectory(_ body: (Directory) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dhcpd-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try body(try Directory.open(path: path))
    }

    @Test func itHoldsEveryHostTheBalancersAndTheBootSettings() throws {
        try withDirectory { directory in
            try directory.addServer(Server(name: "lb1", address: "10.9.0.1", roles: [.balancer]))
            try directory.addServer(Server(name: "s1", address: "10.9.0.10", roles: [.session]))
            try directory.addServer(Server(name: "lb2", address: "10.9.0.2", roles: [.balancer, .boot], state: .disabled))
            try directory.addHost(ThinClientHost(mac: try MACAddress(parsing: "52:54:00:00:00:01"), ip: "10.9.0.50", hostname: "tc50"))
            try directory.addHost(ThinClientHost(mac: try MACAddress(parsing: "52:54:00:00:00:02"), ip: "10.9.0.51", hostname: "k1", profile: "kiosk"))
            try directory.setSetting("boot.kiosk.bios", to: "kiosk/pxelinux.0")
            try directory.setSetting("boot.default.root-path", to: "{server}:/srv/ltsp/i386")
            try directory.setSetting("motd", to: "unrelated")

            let table = try BindingTable(directory: directory)
            #expect(table.count == 2)
            #expect(table.binding(for: [0x52, 0x54, 0, 0, 0, 2]) == .init(address: IPv4Address(10, 9, 0, 51), hostname: "k1", profile: "kiosk"))
            #expect(table.binding(for: [0x52, 0x54, 0, 0, 0, 3]) == nil)
            #expect(table.loadBalancers == [IPv4Address(10, 9, 0, 1)])
            let kiosk = table.bootSettings(profile: "kiosk", fallback: BootSettings(section: DHCPSection()))
            #expect(kiosk.bios == "kiosk/pxelinux.0")
            #expect(kiosk.rootPath == "{server}:/srv/ltsp/i386")
            #expect(kiosk.uefi == "ltsp/snponly.efi")
        }
    }

    @Test func aClientThatLostAConcurrentClaimToItsAddressIsNotServed() throws {
        try withDirectory { first in
            try withDirectory { second in
                // Two replicas give one address to two clients before they meet.
                try first.addHost(ThinClientHost(mac: try MACAddress(parsing: "52:54:00:00:00:01"), ip: "10.9.0.50", hostname: "a"))
                try second.addHost(ThinClientHost(mac: try MACAddress(parsing: "52:54:00:00:00:02"), ip: "10.9.0.50", hostname: "b"))
                try first.apply(try second.changes(since: VersionVector()))
                let table = try BindingTable(directory: first)
                #expect(table.count == 1)
                let winner = try #require(try first.hosts().first { try first.binding(for: $0.mac) != nil })
                #expect(table.binding(for: winner.mac.bytes)?.hostname == winner.hostname)
            }
        }
    }
}
