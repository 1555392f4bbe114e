/// `tftp`: tc-tftpd, the read-only TFTP server of a boot server.
public struct TFTPSection: Codable, Sendable, Equatable, ConfigSection {
    /// The directory served; every request is confined to it. Default `/srv/tftp`.
    public var root: String
    /// Where requests arrive. Default `0.0.0.0:69` (port 69 needs root or CAP_NET_BIND_SERVICE).
    /// Each transfer then runs from an ephemeral port of its own (RFC 1350 §4).
    public var listen: Endpoint
    /// The largest block size granted (RFC 2348). Default 1468, which fits an Ethernet frame;
    /// 512...65464 (a client that does not ask gets 512 whatever this says).
    public var maximumBlockSize: Int
    /// The largest window granted (RFC 7440). Default 64; 1...65535.
    public var maximumWindowSize: Int
    /// How long to wait for an ACK before sending again, unless the client asked for its own
    /// timeout (RFC 2349). Default 1000; 100...60000.
    public var retransmitMilliseconds: Int
    /// Sends of one block (or window) without an answer before the transfer is abandoned.
    /// Default 5; 1...50.
    public var retries: Int
    /// The longest one transfer may take, whatever the client does. Default 600; 10...86400.
    public var transferTimeoutSeconds: Int
    /// Transfers at once, over all clients. Default 4000; 1...100000.
    public var maximumTransfers: Int
    /// Transfers at once from one client address. Default 16; 1...10000.
    public var maximumTransfersPerClient: Int
    /// Memory for file contents kept between transfers, in MiB. Default 1024; 0...65536. A boot
    /// storm reads each file from disk once; 0 reads every block from disk.
    public var cacheMiB: Int
    /// Turn `\` into `/` in requested names, for clients that send Windows paths. Default true.
    public var remapBackslashes: Bool
    /// Look names up without regard to case when the exact name does not exist, for firmware
    /// that changes case. Default false.
    public var caseInsensitive: Bool
    /// Serve `NAME` rendered from `NAME.tmpl` when `NAME` does not exist, with the requesting
    /// client's data from the directory replica (`directory.path`). Default true.
    public var templates: Bool
    /// Where Prometheus scrapes `GET /metrics`. Default `127.0.0.1:9769`.
    public var metricsListen: Endpoint

    enum CodingKeys: String, CodingKey, CaseIterable {
        case root, listen, maximumBlockSize, maximumWindowSize, retransmitMilliseconds, retries, transferTimeoutSeconds,
             maximumTransfers, maximumTransfersPerClient, cacheMiB, remapBackslashes, caseInsensitive, templates, metricsListen
    }

    public init(
        root: String = "/srv/tftp",
        listen: Endpoint = Endpoint(host: "0.0.0.0", port: 69),
        maximumBlockSize: Int = 1468,
        maximumWindowSize: Int = 64,
        retransmitMilliseconds: Int = 1000,
        retries: Int = 5,
        transferTimeoutSeconds: Int = 600,
        maximumTransfers: Int = 4000,
        maximumTransfersPerClient: Int = 16,
        cacheMiB: Int = 1024,
        remapBackslashes: Bool = true,
        caseInsensitive: Bool = false,
        templates: Bool = true,
        metricsListen: Endpoint = Endpoint(host: "127.0.0.1", port: 9769)
    ) {
        self.root = root
        self.listen = listen
        self.maximumBlockSize = maximumBlockSize
        self.maximumWindowSize = maximumWindowSize
        self.retransmitMilliseconds = retransmitMilliseconds
        self.retries = retries
        self.transferTimeoutSeconds = transferTimeoutSeconds
        self.maximumTransfers = maximumTransfers
        self.maximumTransfersPerClient = maximumTransfersPerClient
        self.cacheMiB = cacheMiB
        self.remapBackslashes = remapBackslashes
        self.caseInsensitive = caseInsensitive
        self.templates = templates
        self.metricsListen = metricsListen
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: TFTPSection) throws {
        root = try keys.read(.root, default: defaults.root, rule: .absolutePath)
        listen = try keys.read(.listen, default: defaults.listen, rule: .endpoint)
        maximumBlockSize = try keys.read(.maximumBlockSize, default: defaults.maximumBlockSize, rule: .integer(in: 512...65_464))
        maximumWindowSize = try keys.read(.maximumWindowSize, default: defaults.maximumWindowSize, rule: .integer(in: 1...65_535))
        retransmitMilliseconds = try keys.read(.retransmitMilliseconds, default: defaults.retransmitMilliseconds, rule: .integer(in: 100...60_000))
        retries = try keys.read(.retries, default: defaults.retries, rule: .integer(in: 1...50))
        transferTimeoutSeconds = try keys.read(.transferTimeoutSeconds, default: defaults.transferTimeoutSeconds, rule: .integer(in: 10...86_400))
        maximumTransfers = try keys.read(.maximumTransfers, default: defaults.maximumTransfers, rule: .integer(in: 1...100_000))
        maximumTransfersPerClient = try keys.read(.maximumTransfersPerClient, default: defaults.maximumTransfersPerClient, rule: .integer(in: 1...10_000))
        cacheMiB = try keys.read(.cacheMiB, default: defaults.cacheMiB, rule: .integer(in: 0...65_536))
        remapBackslashes = try keys.read(.remapBackslashes, default: defaults.remapBackslashes, rule: .boolean)
        caseInsensitive = try keys.read(.caseInsensitive, default: defaults.caseInsensitive, rule: .boolean)
        templates = try keys.read(.templates, default: defaults.templates, rule: .boolean)
        metricsListen = try keys.read(.metricsListen, default: defaults.metricsListen, rule: .endpoint)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: TFTPSection())
    }
}
