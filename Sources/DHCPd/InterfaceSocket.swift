#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The UDP socket tc-dhcpd serves one interface with: bound to 0.0.0.0 on the server port (a
/// client without an address sends from 0.0.0.0 to 255.255.255.255, which only a wildcard bind
/// receives) and tied to the interface with SO_BINDTODEVICE, so that it sees that interface's
/// broadcasts only and its own broadcasts leave by that interface, whatever the routing table
/// says. One socket per interface is also how the reply learns which address to name.
enum InterfaceSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func open(interface: String, port: Int) throws -> NIOBSDSocket.Handle {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket", interface) }
        do {
            var one: Int32 = 1
            // SO_REUSEADDR: one such socket per interface, all on the same wildcard port.
            try check(setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)), "SO_REUSEADDR", interface)
            try check(setsockopt(descriptor, SOL_SOCKET, SO_BROADCAST, &one, socklen_t(MemoryLayout<Int32>.size)), "SO_BROADCAST", interface)
            var name = Array(interface.utf8CString)
            try check(setsockopt(descriptor, SOL_SOCKET, SO_BINDTODEVICE, &name, socklen_t(name.count)), "SO_BINDTODEVICE", interface)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = in_addr(s_addr: INADDR_ANY)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try check(bound, "bind to port \(port)", interface)
            return descriptor
        } catch {
            close(descriptor)
            throw error
        }
    }

    private static func check(_ result: Int32, _ what: String, _ interface: String) throws {
        if result != 0 { throw failure(what, interface) }
    }

    private static func failure(_ what: String, _ interface: String) -> Failure {
        let reason = String(cString: strerror(errno))
        let hint = errno == EACCES || errno == EPERM ? " (ports below 1024 and SO_BINDTODEVICE need root or CAP_NET_BIND_SERVICE and CAP_NET_RAW)" : ""
        return Failure(description: "cannot serve \(interface): \(what) failed: \(reason)\(hint)")
    }
}
