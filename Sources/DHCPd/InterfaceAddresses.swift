#if canImport(Glibc)
import Glibc
#endif
import ClusterCore

/// The machine's IPv4 interfaces, read with getifaddrs(3), and the choice of those to serve.
enum InterfaceAddresses {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Every interface that is up and has an IPv4 address (its first one), by name, and
    /// whether it is a loopback interface.
    static func current() -> [(interface: ServingInterface, isLoopback: Bool)] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var found: [String: (interface: ServingInterface, isLoopback: Bool)] = [:]
        var order: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let item = entry.pointee
            guard let address = item.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  let netmask = item.ifa_netmask, item.ifa_flags & UInt32(IFF_UP) != 0
            else { continue }
            let name = String(cString: item.ifa_name)
            guard found[name] == nil else { continue }
            let ip = ipv4(address), mask = ipv4(netmask)
            let index = Int(if_nametoindex(item.ifa_name))
            let interface = ServingInterface(name: name, index: index, address: ip,
                                             subnet: IPv4Subnet(containing: ip, prefixLength: mask.rawValue.nonzeroBitCount))
            found[name] = (interface, item.ifa_flags & UInt32(IFF_LOOPBACK) != 0)
            order.append(name)
        }
        return order.compactMap { found[$0] }
    }

    /// The interfaces named in `dhcp.interfaces`, or with none named every non-loopback one.
    static func select(_ names: [String]) throws -> [ServingInterface] {
        let all = current()
        if names.isEmpty {
            let chosen = all.filter { !$0.isLoopback }.map(\.interface)
            guard !chosen.isEmpty else {
                throw Problem(description: "dhcp.interfaces: none given and no interface other than loopback has an IPv4 address")
            }
            return chosen
        }
        return try names.map { name in
            guard let entry = all.first(where: { $0.interface.name == name }) else {
                let known = all.map(\.interface.name).joined(separator: ", ")
                throw Problem(description: "dhcp.interfaces: \"\(name)\" is not up or has no IPv4 address (up with IPv4: \(known))")
            }
            return entry.interface
        }
    }

    private static func ipv4(_ pointer: UnsafeMutablePointer<sockaddr>) -> IPv4Address {
        pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            IPv4Address(rawValue: UInt32(bigEndian: $0.pointee.sin_addr.s_addr))
        }
    }
}
