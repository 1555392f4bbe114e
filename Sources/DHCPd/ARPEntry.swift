#if canImport(Glibc)
import Glibc
#endif
import ClusterCore

/// Writes a client's MAC into the kernel's ARP table for its new address, so that an OFFER or
/// ACK can be unicast to a client that has no address yet and did not ask for broadcast
/// (RFC 2131 §4.1): without the entry the kernel would ARP for an address nobody answers for.
///
/// Needs CAP_NET_ADMIN. Without it `add` fails and the caller broadcasts instead, which every
/// client also accepts.
struct ARPEntry {
    /// `struct arpreq` from <net/if_arp.h>, which Swift's Glibc module does not import:
    /// arp_pa, arp_ha (struct sockaddr, 16 bytes each), arp_flags (int), arp_netmask
    /// (struct sockaddr), arp_dev (16 bytes).
    private static let size = 68
    private static let flagsOffset = 32
    private static let deviceOffset = 52
    private static let setARP: UInt = 0x8955      // SIOCSARP
    private static let complete: Int32 = 0x02     // ATF_COM
    private static let ethernet: UInt16 = 1       // ARPHRD_ETHER

    /// Adds (or replaces) the entry `address` → `mac` on `interface`, using `descriptor`, any
    /// AF_INET socket. True when the kernel took it.
    static func add(address: IPv4Address, mac: [UInt8], interface: String, descriptor: Int32) -> Bool {
        guard mac.count == 6, interface.utf8.count < 16 else { return false }
        var request = [UInt8](repeating: 0, count: size)
        // arp_pa: sockaddr_in { family AF_INET (host order), port 0, address (network order) }.
        let family = UInt16(AF_INET)
        withUnsafeBytes(of: family) { request.replaceSubrange(0..<2, with: $0) }
        request.replaceSubrange(4..<8, with: address.bytes)
        // arp_ha: sockaddr { family ARPHRD_ETHER, the MAC in sa_data }.
        withUnsafeBytes(of: ethernet) { request.replaceSubrange(16..<18, with: $0) }
        request.replaceSubrange(18..<24, with: mac)
        withUnsafeBytes(of: complete) { request.replaceSubrange(flagsOffset..<flagsOffset + 4, with: $0) }
        let name = Array(interface.utf8)
        request.replaceSubrange(deviceOffset..<deviceOffset + name.count, with: name)
        guard let ioctl = Self.ioctl else { return false }
        return request.withUnsafeMutableBytes { ioctl(descriptor, setARP, $0.baseAddress) } == 0
    }

    /// ioctl(2) with one pointer argument. Swift does not import the variadic C declaration;
    /// glibc's ioctl is a plain system call wrapper, so calling it through this fixed signature
    /// passes the same registers.
    private typealias PointerIOCTL = @convention(c) (Int32, UInt, UnsafeMutableRawPointer?) -> Int32
    private static let ioctl: PointerIOCTL? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "ioctl") else { return nil }
        return unsafeBitCast(symbol, to: PointerIOCTL.self)
    }()
}
