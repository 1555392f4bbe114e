import ClusterCore

/// The parts of a reply that come from this node's configuration rather than the directory.
struct ReplyPolicy: Sendable {
    var leaseSeconds: UInt32
    var renewalSeconds: UInt32
    var rebindingSeconds: UInt32
    var routers: [IPv4Address]
    var dnsServers: [IPv4Address]
    var domainName: String
    var relaySubnets: [IPv4Subnet]
    /// 0 for none.
    var loadBalancerOption: UInt8
    var boot: BootSettings

    init(section: DHCPSection) {
        let lease = UInt32(section.leaseSeconds)
        leaseSeconds = lease
        renewalSeconds = section.renewalSeconds > 0 ? UInt32(section.renewalSeconds) : lease / 2
        let rebinding = section.rebindingSeconds > 0 ? UInt32(section.rebindingSeconds) : lease / 8 * 7
        // T1 < T2 < lease, whatever mix of set and derived values (RFC 2131 §4.4.5).
        rebindingSeconds = rebinding > renewalSeconds ? rebinding : min(lease - 1, renewalSeconds + 1)
        routers = section.routers.compactMap(IPv4Address.init)
        dnsServers = section.dnsServers.compactMap(IPv4Address.init)
        domainName = section.domainName
        relaySubnets = section.relaySubnets.compactMap(IPv4Subnet.init)
        loadBalancerOption = UInt8(section.loadBalancerOption)
        boot = BootSettings(section: section)
    }
}
