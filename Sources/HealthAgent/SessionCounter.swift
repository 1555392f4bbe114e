import NIOCore

/// Counts the interactive sessions on this server from its utmp file.
///
/// A session is a `USER_PROCESS` record whose process still runs. The liveness check matters:
/// when an X server or xdm crashes, nobody runs `sessreg -d`, and the record would count a
/// session that is gone for as long as the server stays up.
struct SessionCounter: Sendable {
    /// utmp files are small (one record per terminal line); this bounds a corrupt one.
    static let sizeLimit = 64 << 20

    /// The utmp file, `/var/run/utmp` by default (`health.utmpPath`).
    let path: String
    /// Whether the process with this PID still runs; `ProcessLiveness.isAlive` in production.
    let isAlive: @Sendable (Int32) -> Bool

    init(path: String, isAlive: @escaping @Sendable (Int32) -> Bool = ProcessLiveness.isAlive) {
        self.path = path
        self.isAlive = isAlive
    }

    /// Reads the file and counts; throws `.absent` when there is no utmp file at all.
    func count() throws(KernelFileError) -> SessionCount {
        Self.count(utmp: try KernelFile.read(path, limit: Self.sizeLimit), isAlive: isAlive)
    }

    /// The pure part: counts the live sessions in the bytes of a utmp file. A partial record
    /// at the end is ignored (sessreg may be writing it right now); records that are not
    /// `USER_PROCESS`, or name no user, are skipped.
    static func count(utmp bytes: [UInt8], isAlive: (Int32) -> Bool) -> SessionCount {
        var buffer = ByteBuffer(bytes: bytes)
        var sessions = 0
        var users = Set<String>()
        while let record = try? UtmpRecord(parsing: &buffer) {
            guard record.type == UtmpRecord.userProcess, !record.user.isEmpty, isAlive(record.pid) else { continue }
            sessions += 1
            users.insert(record.user)
        }
        return SessionCount(sessions: sessions, users: users.sorted())
    }
}

/// The sessions on a server and who holds them.
struct SessionCount: Equatable, Sendable {
    /// Live `USER_PROCESS` records: one user on two thin clients is two sessions.
    var sessions: Int
    /// The distinct users, sorted.
    var users: [String]

    static let none = SessionCount(sessions: 0, users: [])
}
