/// `dhcp`: tc-dhcpd, the DHCPv4 server every boot server runs with the same static bindings.
///
/// Bindings (MAC → IP, hostname, profile) are not here: they come from the node's directory
/// replica, identical on every server. This section says where the server listens and what a
/// reply carries besides the address. Cluster-wide boot settings in the directory
/// (`boot.<profile>.<field>`) override the boot file and root path keys below.
public struct DHCPSection: Codable, Sendable, Equatable, ConfigSection {
    /// The interfaces to serve, by name. Default: none, meaning every interface that is up,
    /// not loopback, and has an IPv4 address. Each reply names the address of the interface
    /// the request came in on as server identifier, TFTP server and NFS server.
    public var interfaces: [String]
    /// The server's UDP port. Default 67 (needs root or CAP_NET_BIND_SERVICE); clients are
    /// answered on port 68, relay agents on this same port.
    public var port: Int
    /// Lease time in seconds. Default 43200 (12 h); 60...31536000. The binding is static, so
    /// the lease only bounds how long a client keeps an address its server no longer confirms.
    public var leaseSeconds: Int
    /// T1, when the client starts renewing with its server. Default 0: half the lease.
    public var renewalSeconds: Int
    /// T2, when the client starts rebinding with any server. Default 0: 7/8 of the lease.
    public var rebindingSeconds: Int
    /// Boot file for BIOS PXE firmware (option 93 type 0, or no option 93). Default
    /// `ltsp/undionly.kpxe` (iPXE chain-loaded over the firmware's UNDI driver).
    public var bootFileBIOS: String
    /// Boot file for x86-64 UEFI firmware (types 7 and 9). Default `ltsp/snponly.efi`.
    public var bootFileUEFI: String
    /// Boot file for 64-bit ARM UEFI firmware (type 11). Default `ltsp/snponly-arm64.efi`.
    public var bootFileARM64: String
    /// What iPXE (user class `iPXE`) gets instead of the chain-loader: a script it fetches over
    /// TFTP, or a URL. `{server}` is replaced by the answering server's address. Default
    /// `ltsp/ltsp.ipxe`.
    public var bootFileIPXE: String
    /// Root path (option 17): the NFS root on this same server, as `{server}:/path`. Default
    /// `{server}:/srv/ltsp/x86_64`.
    public var rootPath: String
    /// Routers (option 3) for clients on directly attached subnets. Default: none. A relayed
    /// client gets its relay agent's address.
    public var routers: [String]
    /// DNS servers (option 6). Default: none.
    public var dnsServers: [String]
    /// Domain name (option 15). Default: none (empty).
    public var domainName: String
    /// Subnets (CIDR) behind DHCP relay agents that this server answers for; a relayed request
    /// from any other subnet is dropped. Default: none.
    public var relaySubnets: [String]
    /// The site-specific option (224...254) that carries the load balancers' addresses, taken
    /// from the servers with the `balancer` role in the directory; 0 sends none. Default 224.
    public var loadBalancerOption: Int
    /// What to do with a MAC that has no binding: `ignore` (the default, so the cluster can share
    /// a LAN with another DHCP service) or `log` (also log it once per hour as an unknown thin
    /// client, for the administrator to adopt with `tcctl host add`). It never gets an answer.
    public var unknownClients: String
    /// Where Prometheus scrapes `GET /metrics`. Default `127.0.0.1:9767`.
    public var metricsListen: Endpoint
    /// How often the directory replica is checked for new commits. Default 1000; 100...60000.
    public var reloadIntervalMilliseconds: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case interfaces, port, leaseSeconds, renewalSeconds, rebindingSeconds, bootFileBIOS, bootFileUEFI, bootFileARM64,
             bootFileIPXE, rootPath, routers, dnsServers, domainName, relaySubnets, loadBalancerOption, unknownClients,
             metricsListen, reloadIntervalMilliseconds
    }

    public init(
        interfaces: [String] = [],
        port: Int = 67,
        leaseSeconds: Int = 43_200,
        renewalSeconds: Int = 0,
        rebindingSeconds: Int = 0,
        bootFileBIOS: String = "ltsp/undionly.kpxe",
        bootFileUEFI: String = "ltsp/snponly.efi",
        bootFileARM64: String = "ltsp/snponly-arm64.efi",
        bootFileIPXE: String = "ltsp/ltsp.ipxe",
        rootPath: String = "{server}:/srv/ltsp/x86_64",
        routers: [String] = [],
        dnsServers: [String] = [],
        domainName: String = "",
        relaySubnets: [String] = [],
        loadBalancerOption: Int = 224,
        unknownClients: String = "ignore",
        metricsListen: Endpoint = Endpoint(host: "127.0.0.1", port: 9767),
        reloadIntervalMilliseconds: Int = 1000
    ) {
        self.interfaces = interfaces
        self.port = port
        self.leaseSeconds = leaseSeconds
        self.renewalSeconds = renewalSeconds
        self.rebindingSeconds = rebindingSeconds
        self.bootFileBIOS = bootFileBIOS
        self.bootFileUEFI = bootFileUEFI
        self.bootFileARM64 = bootFileARM64
        self.bootFileIPXE = bootFileIPXE
        self.rootPath = rootPath
        self.routers = routers
        self.dnsServers = dnsServers
        self.domainName = domainName
        self.relaySubnets = relaySubnets
        self.loadBalancerOption = loadBalancerOption
        self.unknownClients = unknownClients
        self.metricsListen = metricsListen
        self.reloadIntervalMilliseconds = reloadIntervalMilliseconds
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: DHCPSection) throws {
        interfaces = try keys.readList(.interfaces, default: defaults.interfaces, each: .interfaceName, distinct: true)
        port = try keys.read(.port, default: defaults.port, rule: .integer(in: 1...65_535))
        leaseSeconds = try keys.read(.leaseSeconds, default: defaults.leaseSeconds, rule: .integer(in: 60...31_536_000))
        renewalSeconds = try keys.read(.renewalSeconds, default: defaults.renewalSeconds, rule: .integer(in: 0...(leaseSeconds - 1)))
        rebindingSeconds = try keys.read(.rebindingSeconds, default: defaults.rebindingSeconds,
                                         rule: .integer(in: (renewalSeconds == 0 ? 0 : renewalSeconds + 1)...(leaseSeconds - 1)))
        bootFileBIOS = try keys.read(.bootFileBIOS, default: defaults.bootFileBIOS, rule: .bootFileName)
        bootFileUEFI = try keys.read(.bootFileUEFI, default: defaults.bootFileUEFI, rule: .bootFileName)
        bootFileARM64 = try keys.read(.bootFileARM64, default: defaults.bootFileARM64, rule: .bootFileName)
        bootFileIPXE = try keys.read(.bootFileIPXE, default: defaults.bootFileIPXE, rule: .bootFileName)
        rootPath = try keys.read(.rootPath, default: defaults.rootPath, rule: .rootPath)
        routers = try keys.readList(.routers, default: defaults.routers, each: .ipv4Address, distinct: true)
        dnsServers = try keys.readList(.dnsServers, default: defaults.dnsServers, each: .ipv4Address, distinct: true)
        domainName = try keys.read(.domainName, default: defaults.domainName, rule: .domainName)
        relaySubnets = try keys.readList(.relaySubnets, default: defaults.relaySubnets, each: .ipv4Subnet, distinct: true)
        loadBalancerOption = try keys.read(.loadBalancerOption, default: defaults.loadBalancerOption, rule: .siteOptionCode)
        unknownClients = try keys.read(.unknownClients, default: defaults.unknownClients, rule: .oneOf(["ignore", "log"]))
        metricsListen = try keys.read(.metricsListen, default: defaults.metricsListen, rule: .endpoint)
        reloadIntervalMilliseconds = try keys.read(.reloadIntervalMilliseconds, default: defaults.reloadIntervalMilliseconds,
                                                   rule: .integer(in: 100...60_000))
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: DHCPSection())
    }
}
