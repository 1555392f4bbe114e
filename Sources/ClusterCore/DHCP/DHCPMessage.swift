import NIOCore

/// A DHCPv4 message (RFC 2131 §2): the BOOTP header, the magic cookie and the options.
///
/// `sname` and `file` hold the header's server name and boot file name, with trailing NULs
/// trimmed. When the options overload them (option 52) they held options, not names: the
/// parser moves those options into `options` and leaves the field empty, and the serialiser
/// only overloads a field that is empty.
public struct DHCPMessage: Hashable, Sendable {
    /// `op`: 1 BOOTREQUEST (client to server), 2 BOOTREPLY.
    public var op: UInt8
    /// `htype`: hardware address type, 1 for Ethernet (RFC 1700 "ARP hardware types").
    public var htype: UInt8
    /// `hlen`: hardware address length, 6 for Ethernet, at most 16.
    public var hlen: UInt8
    /// `hops`: relay agents passed (RFC 1542 §4.1.1).
    public var hops: UInt8
    /// `xid`: the client's transaction id, echoed in replies.
    public var xid: UInt32
    /// `secs`: seconds since the client began acquiring or renewing.
    public var secs: UInt16
    /// `flags`: only the leftmost bit, broadcast, is defined (RFC 2131 §2, figure 2).
    public var flags: UInt16
    public var ciaddr: IPv4Address
    public var yiaddr: IPv4Address
    public var siaddr: IPv4Address
    public var giaddr: IPv4Address
    /// `chaddr`: all 16 bytes, as the client sent them.
    public var chaddr: [UInt8]
    public var sname: [UInt8]
    public var file: [UInt8]
    public var options: DHCPOptions

    public static let bootRequest: UInt8 = 1
    public static let bootReply: UInt8 = 2
    /// 99.130.83.99 (RFC 2131 §3, RFC 1497).
    public static let magicCookie: UInt32 = 0x6382_5363
    /// The fixed BOOTP header before the magic cookie (RFC 2131 §2).
    public static let headerSize = 236
    static let snameSize = 64, fileSize = 128, chaddrSize = 16

    public init(
        op: UInt8, htype: UInt8 = 1, hlen: UInt8 = 6, hops: UInt8 = 0, xid: UInt32, secs: UInt16 = 0, flags: UInt16 = 0,
        ciaddr: IPv4Address = .any, yiaddr: IPv4Address = .any, siaddr: IPv4Address = .any, giaddr: IPv4Address = .any,
        chaddr: [UInt8], sname: [UInt8] = [], file: [UInt8] = [], options: DHCPOptions = []
    ) {
        self.op = op; self.htype = htype; self.hlen = hlen; self.hops = hops; self.xid = xid; self.secs = secs
        self.flags = flags; self.ciaddr = ciaddr; self.yiaddr = yiaddr; self.siaddr = siaddr; self.giaddr = giaddr
        self.chaddr = Array((chaddr + repeatElement(0, count: Self.chaddrSize)).prefix(Self.chaddrSize))
        self.sname = Array(sname.prefix(Self.snameSize)); self.file = Array(file.prefix(Self.fileSize))
        self.options = options
    }

    /// The broadcast flag (RFC 2131 §4.1): the client cannot receive unicast before it has an address.
    public var isBroadcast: Bool {
        get { flags & 0x8000 != 0 }
        set { flags = newValue ? flags | 0x8000 : flags & ~0x8000 }
    }

    /// The client's MAC address, when `htype` is Ethernet and `hlen` 6.
    public var macAddress: [UInt8]? {
        htype == 1 && hlen == 6 ? Array(chaddr.prefix(6)) : nil
    }

    /// Reads one message from the whole of `buffer` (a UDP payload).
    ///
    /// Options are gathered from the options field, then `file`, then `sname` when option 52
    /// says so (RFC 2131 §4.1, RFC 3396 §5), repeated codes concatenated. Option 52 itself is
    /// consumed. Bytes after the end option are padding and ignored.
    public init(parsing buffer: inout ByteBuffer) throws(DHCPParseError) {
        let length = buffer.readableBytes
        guard length >= Self.headerSize + 4,
              let op = buffer.readInteger(as: UInt8.self), let htype = buffer.readInteger(as: UInt8.self),
              let hlen = buffer.readInteger(as: UInt8.self), let hops = buffer.readInteger(as: UInt8.self),
              let xid = buffer.readInteger(as: UInt32.self), let secs = buffer.readInteger(as: UInt16.self),
              let flags = buffer.readInteger(as: UInt16.self), let ciaddr = buffer.readInteger(as: UInt32.self),
              let yiaddr = buffer.readInteger(as: UInt32.self), let siaddr = buffer.readInteger(as: UInt32.self),
              let giaddr = buffer.readInteger(as: UInt32.self), let chaddr = buffer.readBytes(length: Self.chaddrSize),
              var snameField = buffer.readSlice(length: Self.snameSize), var fileField = buffer.readSlice(length: Self.fileSize),
              let cookie = buffer.readInteger(as: UInt32.self)
        else { throw .truncatedHeader(length: length) }
        guard hlen <= Self.chaddrSize else { throw .hardwareAddressTooLong(hlen: hlen) }
        guard cookie == Self.magicCookie else { throw .badMagicCookie(cookie) }

        var options = DHCPOptions()
        try options.parse(field: &buffer, name: .options)
        var sname = snameField.getBytes(at: snameField.readerIndex, length: Self.snameSize) ?? []
        var file = fileField.getBytes(at: fileField.readerIndex, length: Self.fileSize) ?? []
        if let overloadValue = options[.overload] {
            guard overloadValue.count == 1 else { throw .invalidOptionLength(code: 52, length: overloadValue.count) }
            guard (1...3).contains(overloadValue[0]) else { throw .invalidOverload(overloadValue[0]) }
            options[.overload] = nil
            let overload = DHCPOverload(rawValue: overloadValue[0])
            // Option 52 inside file or sname is ignored: RFC 2131 §4.1 allows it only in options.
            var nested = DHCPOptions()
            if overload.contains(.file) {
                try nested.parse(field: &fileField, name: .file)
                file = []
            }
            if overload.contains(.sname) {
                try nested.parse(field: &snameField, name: .sname)
                sname = []
            }
            for option in nested where option.code != .overload { options.append(option.code, option.value) }
        }
        if let type = options[.messageType], type.count != 1 {
            throw .invalidOptionLength(code: DHCPOptionCode.messageType.rawValue, length: type.count)
        }
        self.init(
            op: op, htype: htype, hlen: hlen, hops: hops, xid: xid, secs: secs, flags: flags,
            ciaddr: IPv4Address(rawValue: ciaddr), yiaddr: IPv4Address(rawValue: yiaddr),
            siaddr: IPv4Address(rawValue: siaddr), giaddr: IPv4Address(rawValue: giaddr),
            chaddr: chaddr, sname: Self.trimmingNULs(sname), file: Self.trimmingNULs(file), options: options
        )
    }

    static func trimmingNULs(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes[..<(bytes.lastIndex { $0 != 0 }.map { $0 + 1 } ?? 0)])
    }
}
