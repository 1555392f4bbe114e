import ClusterCore
import NIOCore

// libFuzzer entry point over the DHCP parser (scripts/fuzz-dhcp). Built without
// -sanitize=fuzzer this file is an executable that does nothing, so `swift build` still links it.
//
// Any input must either be rejected with a DHCPParseError or parse into a message that
// serialises and parses back to the same message, with and without a client size limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var buffer = ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count))
    guard let message = try? DHCPMessage(parsing: &buffer) else { return 0 }
    var written = ByteBuffer()
    message.write(to: &written)
    guard let reparsed = try? DHCPMessage(parsing: &written), reparsed == message else {
        fatalError("DHCP message does not survive a round trip: \(message)")
    }
    var limited = ByteBuffer()
    if (try? message.write(to: &limited, maximumMessageSize: 576)) != nil {
        precondition(limited.readableBytes <= 576 - 28, "message exceeds the 576-byte limit: \(limited.readableBytes)")
        guard let overloaded = try? DHCPMessage(parsing: &limited), overloaded == message else {
            fatalError("DHCP message does not survive a round trip through overload: \(message)")
        }
    }
    return 0
}
