import ClusterCore

/// One snapshot of everything tc-dhcpd answers from: the static bindings, the boot settings of
/// each profile and the load balancers' addresses, read from the directory in one go.
///
/// Immutable: a reload builds a new table and swaps it in whole, so a packet is always answered
/// from one consistent view and the packet path never touches SQLite.
struct BindingTable: Sendable {
    struct Binding: Sendable, Equatable {
        var address: IPv4Address
        var hostname: String
        var profile: String?
    }

    /// The six bytes of a MAC packed into an integer: hashing it is cheaper than an array.
    struct Key: Hashable, Sendable {
        let value: UInt64
        init?(_ bytes: some Collection<UInt8>) {
            guard bytes.count == 6 else { return nil }
            value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    private let bindings: [Key: Binding]
    /// Boot settings by profile name; "default" applies to hosts without a profile and to
    /// fields a profile leaves unset.
    let boot: [String: BootSettings]
    let loadBalancers: [IPv4Address]
    /// The directory commit this table was built from, for logs and status.
    let revision: Int64

    init(bindings: [Key: Binding] = [:], boot: [String: BootSettings] = [:], loadBalancers: [IPv4Address] = [], revision: Int64 = 0) {
        self.bindings = bindings
        self.boot = boot
        self.loadBalancers = loadBalancers
        self.revision = revision
    }

    var count: Int { bindings.count }

    func binding(for mac: some Collection<UInt8>) -> Binding? {
        guard let key = Key(mac) else { return nil }
        return bindings[key]
    }

    /// The boot settings for `profile`: its own fields, then the cluster's `default` profile,
    /// then this node's configuration.
    func bootSettings(profile: String?, fallback: BootSettings) -> BootSettings {
        let base = (boot["default"] ?? BootSettings()).filling(from: fallback)
        guard let profile, let own = boot[profile] else { return base }
        return own.filling(from: base)
    }
}

extension BindingTable {
    /// Reads a table from the directory. Hosts whose address is not a valid IPv4 address cannot
    /// happen (the directory validates them) and are skipped rather than trusted.
    init(directory: Directory) throws(DirectoryError) {
        let revision = try directory.commitCounter()
        var bindings: [Key: Binding] = [:]
        for host in try directory.bindings() {
            guard let key = Key(host.mac.bytes), let address = IPv4Address(host.ip) else { continue }
            bindings[key] = Binding(address: address, hostname: host.hostname, profile: host.profile)
        }
        var boot: [String: BootSettings] = [:]
        for setting in try directory.settings() {
            guard let (profile, field) = BootSettings.parseKey(setting.key) else { continue }
            boot[profile, default: BootSettings()].set(field, to: setting.value)
        }
        let balancers = try directory.loadBalancerAddresses().compactMap(IPv4Address.init)
        self.init(bindings: bindings, boot: boot, loadBalancers: balancers, revision: revision)
    }
}
