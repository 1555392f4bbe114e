import NIOCore

extension DHCPMessage {
    /// The smallest message every BOOTP relay and client accepts (RFC 1542 §2.1): shorter
    /// messages are padded with zeros to this size.
    public static let minimumBOOTPSize = 300

    /// Writes the message with every option in the options field, in `DHCPOptions` wire order,
    /// values longer than 255 bytes split into consecutive options (RFC 3396 §5), then end and
    /// padding to 300 bytes. Option 52 is never written: nothing is overloaded.
    public func write(to buffer: inout ByteBuffer) {
        var field: [UInt8] = []
        for option in options.wireOrder { Self.appendPieces(of: option.code, option.value[...], to: &field, limit: .max) }
        writeFields(to: &buffer, options: field, sname: sname, file: file)
    }

    /// Writes the message so that the IP datagram carrying it is at most `maximumMessageSize`
    /// bytes, the client's option 57 (RFC 2132 §9.10, IP and UDP headers included, taken as 20
    /// and 8 bytes). Values below 576 are raised to 576, the size every client must accept
    /// (RFC 2131 §2).
    ///
    /// When the options do not fit, option 52 overloads `file`, then `sname` (RFC 2131 §4.1),
    /// each only if it carries no name. An option that fits whole in some field goes whole into
    /// the first such field; a longer one is split across fields in concatenation order
    /// (options, file, sname; RFC 3396 §5). If they still do not fit, nothing is written and
    /// `optionsTooLarge` is thrown: a truncated reply would be a wrong one.
    public func write(to buffer: inout ByteBuffer, maximumMessageSize: UInt16) throws(DHCPSerializationError) {
        let limit = max(Int(maximumMessageSize), 576) - 28
        let order = options.wireOrder
        let needed = order.reduce(0) { $0 + DHCPOptions.encodedSize(of: $1) }
        if Self.headerSize + 4 + needed + 1 <= limit {
            write(to: &buffer)
            return
        }
        // Options field minus its end byte and the 3-byte option 52; file and sname minus end.
        var capacities = [max(0, limit - Self.headerSize - 4 - 1 - 3), file.isEmpty ? Self.fileSize - 1 : 0, sname.isEmpty ? Self.snameSize - 1 : 0]
        var regions: [[UInt8]] = [[], [], []]
        for option in order {
            let size = DHCPOptions.encodedSize(of: option)
            if option.value.count <= 255, let region = (0..<3).first(where: { regions[$0].count + size <= capacities[$0] }) {
                Self.appendPieces(of: option.code, option.value[...], to: &regions[region], limit: .max)
                continue
            }
            var rest = option.value[...]
            guard !rest.isEmpty else {
                throw .optionsTooLarge(needed: needed + 3, available: capacities.reduce(0, +) + 3)
            }
            for region in 0..<3 where !rest.isEmpty {
                rest = Self.appendPieces(of: option.code, rest, to: &regions[region], limit: capacities[region])
            }
            guard rest.isEmpty else {
                throw .optionsTooLarge(needed: needed + 3, available: capacities.reduce(0, +) + 3)
            }
        }
        var overload: DHCPOverload = []
        if !regions[1].isEmpty { overload.insert(.file) }
        if !regions[2].isEmpty { overload.insert(.sname) }
        var field = regions[0]
        if !overload.isEmpty {
            // After the message type, which stays first.
            let at = field.first == DHCPOptionCode.messageType.rawValue && field.count >= 3 ? 3 : 0
            field.insert(contentsOf: [DHCPOptionCode.overload.rawValue, 1, overload.rawValue], at: at)
        }
        writeFields(
            to: &buffer, options: field,
            sname: overload.contains(.sname) ? regions[2] + [DHCPOptionCode.end.rawValue] : sname,
            file: overload.contains(.file) ? regions[1] + [DHCPOptionCode.end.rawValue] : file
        )
    }

    /// Appends `value` as options of `code`, at most 255 bytes each, while `field` stays within
    /// `limit` bytes; returns what did not fit. An empty value is one 2-byte option.
    @discardableResult
    static func appendPieces(of code: DHCPOptionCode, _ value: ArraySlice<UInt8>, to field: inout [UInt8], limit: Int) -> ArraySlice<UInt8> {
        if value.isEmpty {
            if field.count + 2 <= limit { field += [code.rawValue, 0] }
            return value
        }
        var rest = value
        while !rest.isEmpty, limit - field.count >= 3 {
            let length = min(rest.count, 255, limit - field.count - 2)
            field += [code.rawValue, UInt8(length)]
            field += rest.prefix(length)
            rest = rest.dropFirst(length)
        }
        return rest
    }

    private func writeFields(to buffer: inout ByteBuffer, options field: [UInt8], sname: [UInt8], file: [UInt8]) {
        let start = buffer.writerIndex
        buffer.writeInteger(op); buffer.writeInteger(htype); buffer.writeInteger(hlen); buffer.writeInteger(hops)
        buffer.writeInteger(xid); buffer.writeInteger(secs); buffer.writeInteger(flags)
        for address in [ciaddr, yiaddr, siaddr, giaddr] { buffer.writeInteger(address.rawValue) }
        Self.writePadded(chaddr, size: Self.chaddrSize, to: &buffer)
        Self.writePadded(sname, size: Self.snameSize, to: &buffer)
        Self.writePadded(file, size: Self.fileSize, to: &buffer)
        buffer.writeInteger(Self.magicCookie)
        buffer.writeBytes(field)
        buffer.writeInteger(DHCPOptionCode.end.rawValue)
        let written = buffer.writerIndex - start
        if written < Self.minimumBOOTPSize { buffer.writeRepeatingByte(0, count: Self.minimumBOOTPSize - written) }
    }

    private static func writePadded(_ bytes: [UInt8], size: Int, to buffer: inout ByteBuffer) {
        buffer.writeBytes(bytes.prefix(size))
        buffer.writeRepeatingByte(0, count: size - min(bytes.count, size))
    }
}
