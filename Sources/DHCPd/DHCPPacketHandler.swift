#if canImport(Glibc)
import Glibc
#endif
import ClusterCore
import Logging
import NIOCore

/// Reads datagrams from one interface's socket, answers them through the `Responder`, and
/// counts and (rate-limited) logs what it drops. Runs on the channel's event loop; the only
/// shared state it touches is the binding cache's lock and the metrics.
final class DHCPPacketHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Context: Sendable {
        let responder: Responder
        let cache: DirectoryFollower<BindingTable>
        let metrics: DHCPMetrics
        /// Drops, declines, relays: at most one line per kind every 10 s.
        let notes: NoteLog
        /// Unknown clients, when logged: one line per MAC an hour.
        let unknownClientNotes: NoteLog
        let logUnknownClients: Bool
        let serverPort: Int
    }

    private let interface: ServingInterface
    private let shared: Context
    /// A socket for ARP ioctls; -1 once ARP entries turned out not to be allowed here.
    private var arpDescriptor: Int32

    init(interface: ServingInterface, context: Context) {
        self.interface = interface
        self.shared = context
        arpDescriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit {
        if arpDescriptor >= 0 { close(arpDescriptor) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        var payload = envelope.data
        let request: DHCPMessage
        do {
            request = try DHCPMessage(parsing: &payload)
        } catch {
            shared.metrics.dropped(error.kind)
            shared.notes.note("malformed:\(error.kind)", level: .notice, "malformed packet dropped",
                              metadata: ["from": "\(envelope.remoteAddress)", "interface": "\(interface.name)", "error": "\(error)"])
            return
        }
        if let type = request.options.messageType { shared.metrics.received(type) }
        switch shared.responder.respond(to: request, on: interface, table: shared.cache.snapshot) {
        case .ignore(let reason):
            shared.metrics.ignored(reason)
            note(reason, request)
        case .reply(let reply, let destination, let maximumSize):
            var buffer = context.channel.allocator.buffer(capacity: 576)
            do {
                try reply.write(to: &buffer, maximumMessageSize: maximumSize)
            } catch {
                shared.metrics.ignored(.replyTooLarge)
                shared.notes.note("too-large", level: .warning, "reply does not fit the client's maximum message size",
                                  metadata: ["client": "\(Self.mac(request))", "error": "\(error)"])
                return
            }
            let address = socketAddress(for: unicastIfPossible(destination, reply: reply, request: request))
            let metrics = shared.metrics
            let type = reply.options.messageType ?? .ack
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: buffer))).whenComplete { result in
                switch result {
                case .success: metrics.sent(type)
                case .failure: metrics.dropped("send-failed")
                }
            }
        }
    }

    /// A read error on a UDP socket (an ICMP error reported late) is no reason to stop serving.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shared.metrics.dropped("socket-error")
        shared.notes.note("socket-error", level: .notice, "socket error", metadata: ["interface": "\(interface.name)", "error": "\(error)"])
    }

    private func note(_ reason: IgnoreReason, _ request: DHCPMessage) {
        let client = Self.mac(request)
        switch reason {
        case .unknownClient where shared.logUnknownClients:
            shared.unknownClientNotes.note(client, level: .info, "unknown thin client (adopt it with: tcctl host add \(client) <ip> <hostname>)",
                              metadata: ["mac": "\(client)", "interface": "\(interface.name)"])
        case .decline:
            shared.notes.note("decline:\(client)", level: .warning, "client declined its address: another machine on the network uses it",
                              metadata: ["mac": "\(client)", "address": "\(request.options.requestedIPAddress.map { "\($0)" } ?? "?")"])
        case .release:
            shared.notes.note("release:\(client)", level: .info, "client released its address (the binding stays)",
                              metadata: ["mac": "\(client)", "address": "\(request.ciaddr)"])
        case .offSubnet:
            shared.notes.note("off-subnet:\(client)", level: .notice, "client's binding is not on the subnet it asks from",
                              metadata: ["mac": "\(client)", "interface": "\(interface)"])
        case .unknownRelaySubnet:
            shared.notes.note("relay:\(request.giaddr)", level: .notice, "request relayed from a subnet not in dhcp.relaySubnets",
                              metadata: ["relay": "\(request.giaddr)"])
        default:
            break
        }
    }

    /// RFC 2131 §4.1: an OFFER or ACK to a client without an address that did not ask for
    /// broadcast is unicast to its new address, after writing its MAC into the ARP table.
    /// Where that is not allowed (no CAP_NET_ADMIN) every such reply is broadcast instead.
    private func unicastIfPossible(_ destination: ReplyDestination, reply: DHCPMessage, request: DHCPMessage) -> ReplyDestination {
        guard destination == .broadcast, !request.isBroadcast, reply.yiaddr != .any, arpDescriptor >= 0,
              let mac = request.macAddress
        else { return destination }
        if ARPEntry.add(address: reply.yiaddr, mac: mac, interface: interface.name, descriptor: arpDescriptor) {
            return .client(reply.yiaddr)
        }
        shared.notes.note("arp", level: .notice, "cannot write ARP entries (needs CAP_NET_ADMIN): replies to new clients are broadcast",
                          metadata: ["interface": "\(interface.name)", "error": "\(String(cString: strerror(errno)))"])
        close(arpDescriptor)
        arpDescriptor = -1
        return destination
    }

    private func socketAddress(for destination: ReplyDestination) -> SocketAddress {
        let (address, port): (IPv4Address, Int)
        switch destination {
        case .relay(let relay): (address, port) = (relay, shared.serverPort)
        case .client(let client): (address, port) = (client, ReplyDestination.clientPort)
        case .broadcast: (address, port) = (IPv4Address(rawValue: UInt32.max), ReplyDestination.clientPort)
        }
        var raw = sockaddr_in()
        raw.sin_family = sa_family_t(AF_INET)
        raw.sin_port = in_port_t(UInt16(port).bigEndian)
        raw.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
        return SocketAddress(raw, host: "")
    }

    static func mac(_ request: DHCPMessage) -> String {
        (request.macAddress ?? Array(request.chaddr.prefix(Int(min(request.hlen, 16))))).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined(separator: ":")
    }
}
