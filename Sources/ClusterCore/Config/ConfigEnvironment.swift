import Foundation

/// The facts about the machine and the process that some configuration defaults depend on.
///
/// `node.name` defaults to the hostname and `node.stateDirectory` to a place that depends on who
/// runs the daemon. Reading those facts is the only impure part of building a configuration, so it
/// is gathered here once: production code uses `current`, tests pass a fixed value and get the
/// same defaults on every machine.
public struct ConfigEnvironment: Sendable, Equatable {
    /// The machine's hostname as the kernel reports it (not yet lowercased).
    public var hostname: String
    /// The effective user ID; 0 means the daemon runs as root and uses system-wide paths.
    public var effectiveUserID: UInt32
    /// The user's home directory (`$HOME`, else the password database), if one is known.
    public var homeDirectory: String?
    /// `$XDG_STATE_HOME`, if set; the XDG Base Directory spec says to ignore it unless absolute.
    public var stateHome: String?

    public init(hostname: String, effectiveUserID: UInt32, homeDirectory: String?, stateHome: String?) {
        self.hostname = hostname
        self.effectiveUserID = effectiveUserID
        self.homeDirectory = homeDirectory
        self.stateHome = stateHome
    }

    /// The environment of this process, read afresh on each access.
    public static var current: ConfigEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let euid = geteuid()
        return ConfigEnvironment(
            hostname: machineHostname(),
            effectiveUserID: UInt32(euid),
            homeDirectory: nonEmpty(variables["HOME"]) ?? passwordDatabaseHome(for: euid),
            stateHome: nonEmpty(variables["XDG_STATE_HOME"])
        )
    }

    /// `gethostname(2)` rather than `ProcessInfo.hostName`, which may ask DNS and block start-up.
    private static func machineHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// systemd services and cron jobs may run without `$HOME`; the password database still knows.
    private static func passwordDatabaseHome(for uid: uid_t) -> String? {
        guard let entry = getpwuid(uid), let directory = entry.pointee.pw_dir else { return nil }
        return nonEmpty(String(cString: directory))
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

extension ConfigEnvironment {
    /// The key under which the loader hands its environment to `Decodable` initialisers.
    ///
    /// `CodingUserInfoKey.init(rawValue:)` is failable in its signature though it never fails, so
    /// the key is optional here rather than force-unwrapped.
    static let userInfoKey = CodingUserInfoKey(rawValue: "ThinCluster.ConfigEnvironment")

    /// The environment a decoder was given, or the process's own when decoding outside `load`.
    init(from decoder: any Decoder) {
        let given = Self.userInfoKey.flatMap { decoder.userInfo[$0] } as? ConfigEnvironment
        self = given ?? .current
    }

    /// The `userInfo` dictionary that carries this environment into decoding.
    var userInfo: [CodingUserInfoKey: Any] {
        guard let key = Self.userInfoKey else { return [:] }
        return [key: self]
    }
}
