/// Typed views of the options a server reads and writes. A getter returns `nil` when the option
/// is absent or its value does not have the shape its RFC gives (a 3-byte lease time, say): the
/// server then treats it as absent. Setting `nil` removes the option.
extension DHCPOptions {
    /// Message type, 53 (RFC 2132 §9.6). The parser has already checked it is one byte.
    public var messageType: DHCPMessageType? {
        get { self[.messageType].flatMap { $0.count == 1 ? DHCPMessageType(rawValue: $0[0]) : nil } }
        set { self[.messageType] = newValue.map { [$0.rawValue] } }
    }

    /// Requested IP address, 50 (RFC 2132 §9.1).
    public var requestedIPAddress: IPv4Address? {
        get { address(.requestedIPAddress) }
        set { self[.requestedIPAddress] = newValue?.bytes }
    }

    /// Server identifier, 54 (RFC 2132 §9.7).
    public var serverIdentifier: IPv4Address? {
        get { address(.serverIdentifier) }
        set { self[.serverIdentifier] = newValue?.bytes }
    }

    /// Parameter request list, 55 (RFC 2132 §9.8): option codes in the client's order of
    /// preference. Any length, since RFC 3396 lets it span several options.
    public var parameterRequestList: [DHCPOptionCode]? {
        get { self[.parameterRequestList]?.map(DHCPOptionCode.init(rawValue:)) }
        set { self[.parameterRequestList] = newValue?.map(\.rawValue) }
    }

    /// Maximum DHCP message size, 57 (RFC 2132 §9.10): the whole IP datagram the client accepts,
    /// IP and UDP headers included.
    public var maximumMessageSize: UInt16? {
        get { self[.maximumMessageSize].flatMap { $0.count == 2 ? UInt16($0[0]) << 8 | UInt16($0[1]) : nil } }
        set { self[.maximumMessageSize] = newValue.map { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] } }
    }

    /// Client identifier, 61 (RFC 2132 §9.14): a type byte then the identifier, kept raw since
    /// it is compared byte for byte.
    public var clientIdentifier: [UInt8]? {
        get { self[.clientIdentifier] }
        set { self[.clientIdentifier] = newValue }
    }

    /// Vendor class identifier, 60 (RFC 2132 §9.13), e.g. `PXEClient:Arch:00007:UNDI:003016`.
    public var vendorClassIdentifier: String? {
        get { string(.vendorClassIdentifier) }
        set { self[.vendorClassIdentifier] = newValue.map { Array($0.utf8) } }
    }

    /// Relay agent information, 82 (RFC 3046): kept raw, since a server only echoes it back
    /// unchanged in its reply (§2.2).
    public var relayAgentInformation: [UInt8]? {
        get { self[.relayAgentInformation] }
        set { self[.relayAgentInformation] = newValue }
    }

    /// IP address lease time, 51 (RFC 2132 §9.2), in seconds; `0xFFFFFFFF` is infinity.
    public var leaseTime: UInt32? {
        get { seconds(.leaseTime) }
        set { self[.leaseTime] = newValue.map(Self.bytes(of:)) }
    }

    /// Renewal time T1, 58 (RFC 2132 §9.11), in seconds.
    public var renewalTime: UInt32? {
        get { seconds(.renewalTime) }
        set { self[.renewalTime] = newValue.map(Self.bytes(of:)) }
    }

    /// Rebinding time T2, 59 (RFC 2132 §9.12), in seconds.
    public var rebindingTime: UInt32? {
        get { seconds(.rebindingTime) }
        set { self[.rebindingTime] = newValue.map(Self.bytes(of:)) }
    }

    /// Subnet mask, 1 (RFC 2132 §3.3).
    public var subnetMask: IPv4Address? {
        get { address(.subnetMask) }
        set { self[.subnetMask] = newValue?.bytes }
    }

    /// Routers, 3 (RFC 2132 §3.5), in order of preference.
    public var routers: [IPv4Address]? {
        get { addresses(.router) }
        set { self[.router] = newValue?.flatMap(\.bytes) }
    }

    /// Domain name servers, 6 (RFC 2132 §3.8), in order of preference.
    public var domainNameServers: [IPv4Address]? {
        get { addresses(.domainNameServer) }
        set { self[.domainNameServer] = newValue?.flatMap(\.bytes) }
    }

    /// Host name, 12 (RFC 2132 §3.14).
    public var hostName: String? {
        get { string(.hostName) }
        set { self[.hostName] = newValue.map { Array($0.utf8) } }
    }

    /// Domain name, 15 (RFC 2132 §3.17).
    public var domainName: String? {
        get { string(.domainName) }
        set { self[.domainName] = newValue.map { Array($0.utf8) } }
    }

    /// Root path, 17 (RFC 2132 §3.19): the NFS root, `server:/path`.
    public var rootPath: String? {
        get { string(.rootPath) }
        set { self[.rootPath] = newValue.map { Array($0.utf8) } }
    }

    /// TFTP server name, 66 (RFC 2132 §9.4).
    public var tftpServerName: String? {
        get { string(.tftpServerName) }
        set { self[.tftpServerName] = newValue.map { Array($0.utf8) } }
    }

    /// Boot file name, 67 (RFC 2132 §9.5).
    public var bootFileName: String? {
        get { string(.bootFileName) }
        set { self[.bootFileName] = newValue.map { Array($0.utf8) } }
    }

    /// Option overload, 52 (RFC 2132 §9.3), as found in a field's options. `DHCPMessage`
    /// consumes it while parsing, so a parsed message's options never hold it.
    public var overload: DHCPOverload? {
        get { self[.overload].flatMap { $0.count == 1 ? DHCPOverload(rawValue: $0[0]) : nil } }
        set { self[.overload] = newValue.map { [$0.rawValue] } }
    }

    // MARK: Decoding helpers

    private func address(_ code: DHCPOptionCode) -> IPv4Address? {
        self[code].flatMap { IPv4Address(bytes: $0) }
    }

    private func addresses(_ code: DHCPOptionCode) -> [IPv4Address]? {
        guard let value = self[code], !value.isEmpty, value.count % 4 == 0 else { return nil }
        return stride(from: 0, to: value.count, by: 4).compactMap { IPv4Address(bytes: value[$0..<$0 + 4]) }
    }

    private func seconds(_ code: DHCPOptionCode) -> UInt32? {
        guard let value = self[code], value.count == 4 else { return nil }
        return value.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Text options are NVT ASCII, possibly NUL-terminated by sloppy clients (RFC 2132 §2 says
    /// they should not be): the value stops at the first NUL.
    private func string(_ code: DHCPOptionCode) -> String? {
        self[code].map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func bytes(of value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}

/// Which of `file` and `sname` carry further options, option 52 (RFC 2132 §9.3).
public struct DHCPOverload: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let file = DHCPOverload(rawValue: 1)
    public static let sname = DHCPOverload(rawValue: 2)
}
