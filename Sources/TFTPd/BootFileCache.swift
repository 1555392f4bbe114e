#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Synchronization

/// The files being served, framed into DATA packets, kept in memory between transfers.
///
/// A boot storm is hundreds of clients reading the same kernel and initrd: the first request
/// reads the file from disk and frames it; every other transfer at the same block size shares
/// that buffer. An entry is keyed by the file's identity (device, inode, size, modification
/// time), so a replaced or rewritten file is read again, never served stale. Entries are
/// evicted least recently used first when the total passes `budget`; a file bigger than the
/// budget is framed for its transfer only.
final class BootFileCache: Sendable {
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
        let size: Int
        let modified: Int64
        let modifiedNanoseconds: Int
    }

    private struct Key: Hashable {
        let identity: Identity
        let blockSize: Int
        let netascii: Bool
    }

    private struct Entry {
        let file: FramedFile
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    enum Failure: Error {
        case unreadable(String)
    }

    private let state = Mutex(State())
    let budget: Int

    init(budgetBytes: Int) {
        budget = budgetBytes
    }

    /// The file at `path` framed at `blockSize`. Loading happens under the lock, so when a
    /// storm asks for one file at once, one request reads it and the others wait for it.
    func file(at path: String, identity: Identity, blockSize: Int, netascii: Bool) throws(Failure) -> (file: FramedFile, hit: Bool) {
        let key = Key(identity: identity, blockSize: blockSize, netascii: netascii)
        return try state.withLock { state throws(Failure) -> (file: FramedFile, hit: Bool) in
            state.clock += 1
            if var entry = state.entries[key] {
                entry.lastUse = state.clock
                state.entries[key] = entry
                return (entry.file, true)
            }
            let contents = try Self.read(path, size: identity.size)
            let framed = FramedFile(contents: netascii ? NetASCII.encode(contents) : contents, blockSize: blockSize)
            guard framed.memory <= budget else { return (framed, false) }
            // Entries of an older version of this path are dropped with the LRU ones.
            while state.bytes + framed.memory > budget, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.bytes -= oldest.value.file.memory
                state.entries[oldest.key] = nil
            }
            state.entries[key] = Entry(file: framed, lastUse: state.clock)
            state.bytes += framed.memory
            return (framed, false)
        }
    }

    var bytesCached: Int { state.withLock { $0.bytes } }

    /// The identity of the file at `path` now.
    static func identity(of path: String) -> Identity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int(status.st_size),
                        modified: Int64(status.st_mtim.tv_sec), modifiedNanoseconds: Int(status.st_mtim.tv_nsec))
    }

    private static func read(_ path: String, size: Int) throws(Failure) -> ByteBuffer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        var offset = 0
        while offset < size {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: min(size - offset, 1 << 20)) { pointer in
                max(0, pread(descriptor, pointer.baseAddress, min(pointer.count, size - offset), off_t(offset)))
            }
            // A file that shrank while being read is served as it was read; a rewrite changes
            // its identity, and the next request reads it again.
            if count == 0 { break }
            offset += count
        }
        return buffer
    }
}
