/// An IPv4 subnet: a network address and a prefix length.
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let prefixLength: Int

    /// The subnet of `address` with `prefixLength` bits (host bits cleared).
    public init(containing address: IPv4Address, prefixLength: Int) {
        self.prefixLength = max(0, min(32, prefixLength))
        network = IPv4Address(rawValue: address.rawValue & Self.mask(self.prefixLength))
    }

    /// Parses `a.b.c.d/n`; nil when malformed or when host bits are set.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
              parts[1].count <= 2, let length = Int(parts[1]), (0...32).contains(length),
              address.rawValue & ~Self.mask(length) == 0
        else { return nil }
        network = address
        prefixLength = length
    }

    public var mask: IPv4Address { IPv4Address(rawValue: Self.mask(prefixLength)) }
    public var broadcast: IPv4Address { IPv4Address(rawValue: network.rawValue | ~Self.mask(prefixLength)) }

    public func contains(_ address: IPv4Address) -> Bool {
        address.rawValue & Self.mask(prefixLength) == network.rawValue
    }

    public var description: String { "\(network)/\(prefixLength)" }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - UInt32(length)) }
}
