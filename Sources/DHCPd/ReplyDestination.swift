import ClusterCore

/// Where a reply goes, by RFC 2131 §4.1 (and §4.3.2 for NAKs).
enum ReplyDestination: Sendable, Equatable {
    /// To the relay agent, on the server port (RFC 1542 §4.1.2).
    case relay(IPv4Address)
    /// To a client that has an address (RENEWING, REBINDING, INFORM), on the client port.
    case client(IPv4Address)
    /// To 255.255.255.255 on the client port, out of the interface the request came in on:
    /// for clients that asked for it, for NAKs, and for clients without an address, which a
    /// server can only reach by unicast after writing their MAC into its ARP table.
    case broadcast

    static let clientPort = 68

    /// The destination of a reply to `request`; `isNAK` because a NAK goes by broadcast
    /// whatever `ciaddr` says (the client's address is exactly what is wrong).
    static func of(_ request: DHCPMessage, isNAK: Bool) -> ReplyDestination {
        if request.giaddr != .any { return .relay(request.giaddr) }
        if !isNAK, request.ciaddr != .any { return .client(request.ciaddr) }
        return .broadcast
    }
}
