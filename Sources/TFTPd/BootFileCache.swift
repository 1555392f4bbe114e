#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Synchronization

/// The files being served, framed into DATA packets, kept in memory between transfers.
///
/// A boot storm is hundreds of clients reading the same kernel and initrd: the first request
/// reads the file from disk and frames it; every other transfer at the same block size shares
/// that buffer. An entry is keyed by the file's identity (device, inode, size, modification
/// time), so a replaced or rewritten file is read again, never served stale. Entries are
/// evicted least recently used first when the total passes `budget`; a file bigger than the
/// budget is framed for its transfer only.
///
/// Reading happens on a thread pool, never on the listener's event loop: a cold 100 MiB
/// initrd read from disk would otherwise hold up every other request, cached files included,
/// for as long as the read takes. Requests for a file that is being read wait for that read
/// instead of starting their own.
final class BootFileCache: Sendable {
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
        let size: Int
        let modified: Int64
        let modifiedNanoseconds: Int
    }

    /// A file found framed: `hit` is false for the request whose lookup read it from disk.
    struct Lookup: Sendable {
        let file: FramedFile
        let hit: Bool
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
        /// Reads in progress, and the requests waiting for each.
        var loading: [Key: [EventLoopPromise<Lookup>]] = [:]
    }

    enum Failure: Error {
        case unreadable(String)
    }

    private let state = Mutex(State())
    let budget: Int
    private let pool: NIOThreadPool
    private let reader: @Sendable (String, Int) throws(Failure) -> ByteBuffer

    /// `reader` reads a file of the given size; tests replace it to hold a read in progress.
    init(budgetBytes: Int, pool: NIOThreadPool = .singleton,
         reader: @escaping @Sendable (String, Int) throws(Failure) -> ByteBuffer = BootFileCache.read) {
        budget = budgetBytes
        self.pool = pool
        self.reader = reader
    }

    /// The file at `path` framed at `blockSize`, on `eventLoop`: at once when cached, else after
    /// the one read of it in progress (started now if there is none).
    func file(at path: String, identity: Identity, blockSize: Int, netascii: Bool, on eventLoop: EventLoop) -> EventLoopFuture<Lookup> {
        let key = Key(identity: identity, blockSize: blockSize, netascii: netascii)
        enum Next {
            case cached(FramedFile)
            case wait(EventLoopFuture<Lookup>)
            case read(EventLoopPromise<Lookup>)
        }
        let next = state.withLock { state -> Next in
            state.clock += 1
            if var entry = state.entries[key] {
                entry.lastUse = state.clock
                state.entries[key] = entry
                return .cached(entry.file)
            }
            let promise = eventLoop.makePromise(of: Lookup.self)
            if state.loading[key] != nil {
                state.loading[key]?.append(promise)
                return .wait(promise.futureResult)
            }
            state.loading[key] = [promise]
            return .read(promise)
        }
        switch next {
        case .cached(let file):
            return eventLoop.makeSucceededFuture(Lookup(file: file, hit: true))
        case .wait(let future):
            return future
        case .read(let promise):
            let reader = self.reader
            pool.runIfActive(eventLoop: eventLoop) { () throws -> FramedFile in
                let contents = try reader(path, identity.size)
                return FramedFile(contents: netascii ? NetASCII.encode(contents) : contents, blockSize: blockSize)
            }.whenComplete { result in
                self.finishLoading(key, result: result)
            }
            return promise.futureResult
        }
    }

    /// Stores the file read (unless it is bigger than the budget) and answers every request
    /// that waited for it; a failed read fails them all, and the next request tries again.
    private func finishLoading(_ key: Key, result: Result<FramedFile, any Error>) {
        let waiting = state.withLock { state -> [EventLoopPromise<Lookup>] in
            let waiting = state.loading.removeValue(forKey: key) ?? []
            guard case .success(let framed) = result, framed.memory <= budget else { return waiting }
            // Entries of an older version of this path are dropped with the LRU ones.
            while state.bytes + framed.memory > budget, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.bytes -= oldest.value.file.memory
                state.entries[oldest.key] = nil
            }
            state.clock += 1
            state.entries[key] = Entry(file: framed, lastUse: state.clock)
            state.bytes += framed.memory
            return waiting
        }
        for (index, promise) in waiting.enumerated() {
            switch result {
            case .success(let framed): promise.succeed(Lookup(file: framed, hit: index > 0))
            case .failure(let error): promise.fail(error)
            }
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

    static func read(_ path: String, size: Int) throws(Failure) -> ByteBuffer {
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
