/// The verbs of tc-lbd's thin-client port: unauthenticated, cheap, rate-limited.
public enum BalancerVerb {
    /// `SERVER <username> [<client-id>]` -> `OK <address>`.
    public static let server = "SERVER"
    /// `PING` -> `OK <daemon> <version>`, on every port of every daemon.
    public static let ping = "PING"
}

/// The verbs of tc-lbd's admin port: every one but `PING` signed with the cluster key.
public enum AdminVerb {
    /// `DIR <DirectoryCommand json>` -> `OK <DirectoryCommandResult json>`.
    public static let directory = "DIR"
    /// `STATUS` -> `OK <BalancerStatus json>`.
    public static let status = "STATUS"
    /// `SYNC <VersionVector json>` -> `OK <DirectoryDelta json>`: every record the caller lacks.
    public static let sync = "SYNC"
    /// `PUSH <DirectoryDelta json>` -> `OK <applied> <ignored>`.
    public static let push = "PUSH"

    public static let signed: Set<String> = [directory, status, sync, push]
}

/// Limits of the admin port, where whole directory deltas and imports travel as one line.
public enum AdminLimits {
    /// 64 MiB: a directory of 100,000 users is about 13 MiB as a delta. The admin port takes few
    /// connections (`maximumConnections`), so this bounds its memory at a few hundred MiB in the
    /// worst case, and only key holders get past the first line's signature check.
    public static let maximumLineLength = 64 << 20
    public static let maximumConnections = 32
}
