import ClusterCore

/// An interface tc-dhcpd answers on, with the address it names itself by there: the server
/// identifier, next-server, TFTP server and NFS server of every reply to a request that came
/// in on it.
struct ServingInterface: Sendable, Hashable, CustomStringConvertible {
    let name: String
    let index: Int
    let address: IPv4Address
    let subnet: IPv4Subnet

    var description: String { "\(name) (\(address)/\(subnet.prefixLength))" }
}
