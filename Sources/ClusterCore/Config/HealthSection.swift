/// `health`: tc-healthd, the agent on every server that reports its load and sessions.
public struct HealthSection: Codable, Sendable, Equatable, ConfigSection {
    /// Where the load balancers poll `HEALTH` and tcctl sends signed admin verbs. Default
    /// `0.0.0.0:7701`; the port must equal `loadBalancer.healthPort` on the load balancers.
    public var listen: Endpoint
    /// How often load and sessions are sampled in the background. Default 1000; 100...60000.
    /// Requests are answered from the latest sample, never by reading /proc on the request path.
    public var sampleIntervalMilliseconds: Int
    /// The utmp file that xdm's sessreg writes. Default `/var/run/utmp`.
    public var utmpPath: String
    /// The command that starts and stops local services (`<command> start|stop <service>`).
    /// Default `/bin/systemctl`.
    public var serviceCommand: String
    /// The only services the `SERVICE` admin verb may start or stop. Default `[tc-lbd]`.
    public var services: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, sampleIntervalMilliseconds, utmpPath, serviceCommand, services
    }

    public init(
        listen: Endpoint = Endpoint(host: "0.0.0.0", port: 7701),
        sampleIntervalMilliseconds: Int = 1000,
        utmpPath: String = "/var/run/utmp",
        serviceCommand: String = "/bin/systemctl",
        services: [String] = ["tc-lbd"]
    ) {
        self.listen = listen
        self.sampleIntervalMilliseconds = sampleIntervalMilliseconds
        self.utmpPath = utmpPath
        self.serviceCommand = serviceCommand
        self.services = services
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: HealthSection) throws {
        listen = try keys.read(.listen, default: defaults.listen, rule: .endpoint)
        sampleIntervalMilliseconds = try keys.read(.sampleIntervalMilliseconds, default: defaults.sampleIntervalMilliseconds, rule: .integer(in: 100...60_000))
        utmpPath = try keys.read(.utmpPath, default: defaults.utmpPath, rule: .absolutePath)
        serviceCommand = try keys.read(.serviceCommand, default: defaults.serviceCommand, rule: .absolutePath)
        services = try keys.readList(.services, default: defaults.services, each: .serviceName, distinct: true)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: HealthSection())
    }
}
