import ClusterCore

@testable import DHCPd

/// A served interface, a table of two clients and a responder with the default policy: the
/// world most responder tests start from.
enum ResponderFixture {
    static let interface = ServingInterface(name: "eth0", index: 2, address: IPv4Address(10, 9, 0, 1),
                                            subnet: IPv4Subnet(containing: IPv4Address(10, 9, 0, 1), prefixLength: 24))
    static let knownMAC: [UInt8] = [0x52, 0x54, 0x00, 0x00, 0x00, 0x01]
    static let kioskMAC: [UInt8] = [0x52, 0x54, 0x00, 0x00, 0x00, 0x02]
    static let unknownMAC: [UInt8] = [0x52, 0x54, 0x00, 0x00, 0x00, 0x99]
    static let address = IPv4Address(10, 9, 0, 50)

    static var table: BindingTable {
        BindingTable(
            bindings: [
                BindingTable.Key(knownMAC)!: .init(address: address, hostname: "tc50", profile: nil),
                BindingTable.Key(kioskMAC)!: .init(address: IPv4Address(10, 9, 0, 51), hostname: "kiosk1", profile: "kiosk"),
            ],
            boot: ["kiosk": BootSettings(bios: "kiosk/pxelinux.0", rootPath: "{server}:/srv/kiosk")],
            loadBalancers: [IPv4Address(10, 9, 0, 1), IPv4Address(10, 9, 0, 2)]
        )
    }

    static func responder(_ change: (inout DHCPSection) -> Void = { _ in }) -> Responder {
        var section = DHCPSection()
        change(&section)
        return Responder(policy: ReplyPolicy(section: section))
    }

    static func request(_ type: DHCPMessageType, mac: [UInt8] = knownMAC, ciaddr: IPv4Address = .any, giaddr: IPv4Address = .any,
                        broadcast: Bool = false, _ options: (inout DHCPOptions) -> Void = { _ in }) -> DHCPMessage {
        var all = DHCPOptions()
        all.messageType = type
        options(&all)
        var message = DHCPMessage(op: DHCPMessage.bootRequest, xid: 0x1234_5678, ciaddr: ciaddr, giaddr: giaddr, chaddr: mac, options: all)
        message.isBroadcast = broadcast
        return message
    }

    /// The reply, or nil when the responder stayed silent.
    static func answer(_ request: DHCPMessage, responder: Responder = responder(), table: BindingTable = table)
        -> (message: DHCPMessage, destination: ReplyDestination)? {
        guard case .reply(let message, let destination, _) = responder.respond(to: request, on: interface, table: table) else { return nil }
        return (message, destination)
    }

    static func ignoreReason(_ request: DHCPMessage, responder: Responder = responder()) -> IgnoreReason? {
        guard case .ignore(let reason) = responder.respond(to: request, on: interface, table: table) else { return nil }
        return reason
    }
}
