/// The configuration of one node: everything in its `node.yaml`, with a default for every key.
///
/// A node has one file (`NodeConfig.defaultPath`) shared by all its daemons; each daemon reads
/// the sections it needs. Every key has a built-in default, so a local run needs no file and a
/// file need only name what differs. `load(path:)` validates every value, set or default, and
/// fails at start with the file, line and key of the first fault.
///
/// Defaults that derive from another key are resolved while decoding: a `NodeConfig` always
/// holds concrete values, and a `directory.path` that the file leaves out follows whatever
/// `node.stateDirectory` the file chose.
///
/// To add a section: write a struct conforming to `ConfigSection` in its own file, then add a
/// property, a `CodingKeys` case and one line in `init(from:)` here.
public struct NodeConfig: Codable, Sendable, Equatable {
    /// Where packaged daemons and tcctl look when no `--config` path is given.
    public static let defaultPath = "/etc/thincluster/node.yaml"

    /// Who this node is and where it keeps its state.
    public var node: NodeSection
    /// The node's replica of the cluster directory.
    public var directory: DirectorySection
    /// Limits of the line protocol.
    public var `protocol`: ProtocolSection
    /// How this node finds the rest of the cluster.
    public var cluster: ClusterSection
    /// tc-lbd: listeners, health polling, replication.
    public var loadBalancer: LoadBalancerSection
    /// tc-healthd: the health agent.
    public var health: HealthSection
    /// tc-login: the thin client's login loop.
    public var login: LoginSection
    /// tc-dhcpd: the DHCP server of a boot server.
    public var dhcp: DHCPSection
    /// tc-tftpd: the TFTP server of a boot server.
    public var tftp: TFTPSection

    enum CodingKeys: String, CodingKey, CaseIterable {
        case node, directory, `protocol`, cluster, loadBalancer, health, login, dhcp, tftp
    }

    public init(
        node: NodeSection, directory: DirectorySection, protocol: ProtocolSection, cluster: ClusterSection,
        loadBalancer: LoadBalancerSection = LoadBalancerSection(), health: HealthSection = HealthSection(),
        login: LoginSection = LoginSection(), dhcp: DHCPSection = DHCPSection(), tftp: TFTPSection = TFTPSection()
    ) {
        self.node = node
        self.directory = directory
        self.protocol = `protocol`
        self.cluster = cluster
        self.loadBalancer = loadBalancer
        self.health = health
        self.login = login
        self.dhcp = dhcp
        self.tftp = tftp
    }

    /// Every key at its default for `environment`. Not validated: `load` is what checks that,
    /// for instance, the machine's hostname makes a valid node name.
    public init(environment: ConfigEnvironment) {
        let node = NodeSection(environment: environment)
        self.init(
            node: node,
            directory: DirectorySection(stateDirectory: node.stateDirectory),
            protocol: ProtocolSection(),
            cluster: ClusterSection()
        )
    }

    /// Decodes and validates; sections absent from the input take their defaults. The
    /// environment comes from the decoder's `userInfo` when `load` or `parse` drive decoding,
    /// else from this process.
    public init(from decoder: any Decoder) throws {
        let environment = ConfigEnvironment(from: decoder)
        let sections = try ConfigKeyReader<CodingKeys>(decoder)
        node = try NodeSection(reading: sections.section(.node), defaults: NodeSection(environment: environment))
        // Decoded after `node`, so that its default path follows the state directory chosen.
        directory = try DirectorySection(
            reading: sections.section(.directory),
            defaults: DirectorySection(stateDirectory: node.stateDirectory)
        )
        self.protocol = try ProtocolSection(reading: sections.section(.protocol), defaults: ProtocolSection())
        cluster = try ClusterSection(reading: sections.section(.cluster), defaults: ClusterSection())
        loadBalancer = try LoadBalancerSection(reading: sections.section(.loadBalancer), defaults: LoadBalancerSection())
        health = try HealthSection(reading: sections.section(.health), defaults: HealthSection())
        login = try LoginSection(reading: sections.section(.login), defaults: LoginSection())
        dhcp = try DHCPSection(reading: sections.section(.dhcp), defaults: DHCPSection())
        tftp = try TFTPSection(reading: sections.section(.tftp), defaults: TFTPSection())
    }
}
