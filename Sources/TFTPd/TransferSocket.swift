import CLinuxEvents
import Glibc
import NIOCore

/// A transfer's own UDP socket (RFC 1350 §4: its port is the server's transfer identifier),
/// bound to the address the request came to, non-blocking, and the client's address as the
/// kernel wants it, so that a send needs no conversion.
struct TransferSocket {
    enum OpenError: Error, CustomStringConvertible {
        case system(String, Int32)
        var description: String {
            switch self {
            case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
            }
        }
    }

    let descriptor: Int32
    let client: PeerAddress

    /// Opens a socket of the client's family on `local` (its IP, any port; the wildcard when
    /// unknown or of another family).
    static func open(local: SocketAddress?, client: SocketAddress) throws(OpenError) -> TransferSocket {
        let peer = PeerAddress(client)
        let family = Int32(peer.storage.ss_family)
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system("socket", errno) }
        var bindAddress = PeerAddress.wildcard(family: family)
        if let local, case let address = PeerAddress(local), Int32(address.storage.ss_family) == family {
            bindAddress = address.withPort(0)
        }
        let result = bindAddress.withSockAddr { bind(descriptor, $0, $1) }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw .system("bind", code)
        }
        return TransferSocket(descriptor: descriptor, client: peer)
    }

    /// Sends `packets` to the client; returns how many went (the rest are resent by the clock).
    @discardableResult
    func send(_ packets: inout [iovec], count: Int) -> Int {
        client.withSockAddr { address, length in
            Int(tc_send_datagrams(descriptor, address, length, &packets, UInt32(count)))
        }
    }

    /// Sends one packet to `destination` (the client, or a stranger told ERROR 5).
    func send(_ bytes: [UInt8], to destination: PeerAddress) {
        _ = bytes.withUnsafeBytes { buffer in
            destination.withSockAddr { sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, $1) }
        }
    }

    /// Reads one datagram; nil when none is waiting (or the read failed: `failed` says so).
    func receive(into buffer: UnsafeMutableRawBufferPointer, from sender: inout PeerAddress, failed: inout Bool) -> Int? {
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &sender.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(descriptor, buffer.baseAddress, buffer.count, 0, $0, &length)
            }
        }
        guard count >= 0 else {
            // EAGAIN: nothing more. ECONNREFUSED: an ICMP port unreachable from a client that
            // went away; the clock decides the transfer's end.
            failed = errno != EAGAIN && errno != EWOULDBLOCK
            return nil
        }
        sender.length = length
        return count
    }

    func close() { Glibc.close(descriptor) }
}

/// An IPv4 or IPv6 socket address in the kernel's own form, compared by family, port and address.
struct PeerAddress {
    var storage = sockaddr_storage()
    var length = socklen_t(0)

    init() {}

    init(_ address: SocketAddress) {
        address.withSockAddr { pointer, size in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: min(size, MemoryLayout<sockaddr_storage>.size))) }
            length = socklen_t(size)
        }
    }

    static func wildcard(family: Int32) -> PeerAddress {
        var address = PeerAddress()
        address.storage.ss_family = sa_family_t(family)
        address.length = socklen_t(family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        return address
    }

    func withPort(_ port: UInt16) -> PeerAddress {
        var copy = self
        withUnsafeMutableBytes(of: &copy.storage) { raw in
            // sin_port and sin6_port are both at offset 2, in network order.
            raw.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
        }
        return copy
    }

    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }

    /// Same family, port and address: the transfer's client, not a stranger (RFC 1350 §4).
    func matches(_ other: PeerAddress) -> Bool {
        guard storage.ss_family == other.storage.ss_family else { return false }
        return withUnsafeBytes(of: storage) { mine in
            withUnsafeBytes(of: other.storage) { theirs in
                func same<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> Bool {
                    mine.loadUnaligned(fromByteOffset: offset, as: T.self) == theirs.loadUnaligned(fromByteOffset: offset, as: T.self)
                }
                // The port is at offset 2 in both; the address at 4 (sockaddr_in, 4 bytes) or
                // at 8 (sockaddr_in6, 16 bytes).
                guard same(2, UInt16.self) else { return false }
                if Int32(storage.ss_family) == AF_INET6 { return same(8, UInt64.self) && same(16, UInt64.self) }
                return same(4, UInt32.self)
            }
        }
    }
}
