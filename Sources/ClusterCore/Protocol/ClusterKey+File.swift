#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ClusterKey {
    /// Loads the key file at `path`.
    ///
    /// Refuses a file whose mode grants any permission to group or other users: a key that
    /// other accounts can read lets any local user sign admin requests. The mode is taken
    /// with `fstat` on the opened descriptor, so the file checked is the file read.
    public static func load(path: String) throws(ClusterKeyError) -> ClusterKey {
        // O_NONBLOCK: opening a FIFO put at the key's path must fail below, not hang start-up.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: KeyFileIO.lastError()) }
        defer { close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path: path, reason: KeyFileIO.lastError()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let mode = UInt32(info.st_mode) & 0o7777
        guard mode & 0o077 == 0 else { throw .insecurePermissions(path: path, mode: mode) }

        // One more byte than the longest valid content (64 hex + CRLF) tells a long file apart.
        var bytes = [UInt8](repeating: 0, count: 67)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress?.advanced(by: count), $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw .unreadable(path: path, reason: KeyFileIO.lastError()) }
            if got == 0 { break }
            count += got
        }
        guard count < bytes.count else { throw .malformed(path: path, reason: "the file is longer than one key line") }
        guard let text = ProtocolToken.validatedUTF8(bytes[..<count]) else {
            throw .malformed(path: path, reason: "the file is not text")
        }
        return try ClusterKey(hex: text, path: path)
    }

    /// Writes the key to `path` with mode 0600.
    ///
    /// The key is written to a temporary file in the same directory, created with mode 0600
    /// from the start (never readable by others, whatever the umask), synced, then moved into
    /// place: readers see either no file or the whole key. Without `overwrite` the move is a
    /// `link(2)`, which fails atomically if `path` exists, so two concurrent writers cannot
    /// both win; with `overwrite` it is a `rename(2)`.
    public func write(to path: String, overwrite: Bool = false) throws(ClusterKeyError) {
        let temporary = path + ".tmp-" + LowercaseHex.encode((0..<6).map { _ in UInt8.random(in: 0...255) })
        do throws(ClusterKeyError) {
            try KeyFileIO.create(temporary, contents: Array(fileContents.utf8), reportedPath: path)
            if overwrite {
                guard rename(temporary, path) == 0 else { throw .unwritable(path: path, reason: KeyFileIO.lastError()) }
            } else {
                guard link(temporary, path) == 0 else {
                    throw errno == EEXIST
                        ? .alreadyExists(path: path)
                        : .unwritable(path: path, reason: KeyFileIO.lastError())
                }
                unlink(temporary)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        KeyFileIO.syncDirectory(containing: path)
    }
}

/// The POSIX calls behind the key file, kept out of `ClusterKey` so that `write(2)` and
/// `close(2)` are not shadowed by its methods.
private enum KeyFileIO {
    static func create(_ path: String, contents: [UInt8], reportedPath: String) throws(ClusterKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unwritable(path: reportedPath, reason: lastError()) }
        defer { close(descriptor) }
        // The umask can only remove bits; fchmod makes the mode exactly 0600 even under umask 0277.
        guard fchmod(descriptor, 0o600) == 0 else { throw .unwritable(path: reportedPath, reason: lastError()) }
        var written = 0
        while written < contents.count {
            let result = contents.withUnsafeBytes { write(descriptor, $0.baseAddress?.advanced(by: written), $0.count - written) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw .unwritable(path: reportedPath, reason: lastError()) }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw .unwritable(path: reportedPath, reason: lastError()) }
    }

    /// Makes the new directory entry durable; best effort, as some file systems refuse it.
    static func syncDirectory(containing path: String) {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
