/// Why a well-formed message got no reply: a label of the `tc_dhcpd_ignored_total` counter.
enum IgnoreReason: String, Sendable, CaseIterable {
    /// A BOOTREPLY, or a server's message type (OFFER, ACK, NAK) sent to the server port.
    case notARequest = "not-a-request"
    /// BOOTP without option 53: thin clients all speak DHCP.
    case bootp
    /// Not Ethernet (`htype` 1, `hlen` 6): the bindings are by Ethernet MAC.
    case notEthernet = "not-ethernet"
    /// No binding in the directory for this MAC.
    case unknownClient = "unknown-client"
    /// A REQUEST in SELECTING state naming another server: the client chose it (no NAK).
    case otherServerSelected = "other-server-selected"
    /// The binding's address is not on the subnet the request came from.
    case offSubnet = "off-subnet"
    /// Relayed from a subnet not listed in `dhcp.relaySubnets`.
    case unknownRelaySubnet = "unknown-relay-subnet"
    /// A REQUEST that fits none of RFC 2131's four states (no server id, no requested address,
    /// no ciaddr).
    case malformedRequest = "malformed-request"
    /// RELEASE and DECLINE: noted and logged, never answered.
    case release
    case decline
    /// The reply did not fit the client's maximum message size even with overload.
    case replyTooLarge = "reply-too-large"
}
