import Dispatch
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import TFTPd

/// The framed-file cache reads each file once, off the event loop, and a slow read holds up
/// nothing but the requests for that file.
struct BootFileCacheTests {
    /// Serves every path as a file of 'A's; reads of "slow" wait for `gate`, "missing" fails.
    final class HeldReader: Sendable {
        let reads = Mutex<[String: Int]>([:])
        let gate = DispatchSemaphore(value: 0)

        func read(_ path: String, _ size: Int) throws(BootFileCache.Failure) -> ByteBuffer {
            reads.withLock { $0[path, default: 0] += 1 }
            if path == "slow" { gate.wait() }
            if path == "missing" { throw .unreadable("gone") }
            return ByteBuffer(repeating: 0x41, count: size)
        }
    }

    /// A cache over a `HeldReader`, with its own thread pool and event loop.
    struct Fixture {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool: NIOThreadPool
        let reader = HeldReader()
        let cache: BootFileCache
        var loop: any EventLoop { group.next() }

        init(budget: Int = 1 << 20, poolThreads: Int = 2) {
            pool = NIOThreadPool(numberOfThreads: poolThreads)
            pool.start()
            let reader = self.reader
            cache = BootFileCache(budgetBytes: budget, pool: pool) { (path, size) throws(BootFileCache.Failure) in
                try reader.read(path, size)
            }
        }

        func lookup(_ path: String, _ inode: UInt64, size: Int) -> EventLoopFuture<BootFileCache.Lookup> {
            cache.file(at: path, identity: BootFileCache.Identity(device: 1, inode: inode, size: size, modified: 0, modifiedNanoseconds: 0),
                       blockSize: 512, netascii: false, on: loop)
        }

        func shutdown() async throws {
            reader.gate.signal()
            try await pool.shutdownGracefully()
            try await group.shutdownGracefully()
        }
    }

    private func baseAddress(_ file: FramedFile) -> UInt? {
        file.withPacketBytes { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test func aSlowReadHoldsUpNeitherCachedFilesNorOtherFilesAndIsDoneOnce() async throws {
        let fixture = Fixture()
        let fast = try await fixture.lookup("fast", 1, size: 1000).get()
        #expect(!fast.hit)
        let slowFirst = fixture.lookup("slow", 2, size: 3000)
        let slowSecond = fixture.lookup("slow", 2, size: 3000)
        // While "slow" is being read, a cached file and another file are answered.
        let fastAgain = try await fixture.lookup("fast", 1, size: 1000).get()
        #expect(fastAgain.hit && baseAddress(fastAgain.file) == baseAddress(fast.file))
        let other = try await fixture.lookup("other", 3, size: 10).get()
        #expect(!other.hit && other.file.size == 10)

        fixture.reader.gate.signal()
        let first = try await slowFirst.get()
        let second = try await slowSecond.get()
        #expect(!first.hit && second.hit, "the second request waited for the first one's read")
        #expect(first.file.size == 3000 && baseAddress(first.file) == baseAddress(second.file))
        #expect(fixture.reader.reads.withLock { $0 } == ["fast": 1, "slow": 1, "other": 1])
        #expect(fixture.cache.bytesCached == fast.file.memory + first.file.memory + other.file.memory)
        try await fixture.shutdown()
    }

    @Test func aFailedReadFailsEveryWaiterAndTheNextRequestReadsAgain() async throws {
        let fixture = Fixture(poolThreads: 1)
        let first = fixture.lookup("missing", 9, size: 100)
        let second = fixture.lookup("missing", 9, size: 100)
        await #expect(throws: BootFileCache.Failure.self) { try await first.get() }
        await #expect(throws: BootFileCache.Failure.self) { try await second.get() }
        await #expect(throws: BootFileCache.Failure.self) { try await fixture.lookup("missing", 9, size: 100).get() }
        #expect((fixture.reader.reads.withLock { $0["missing"] } ?? 0) >= 2, "a failure is not cached")
        #expect(fixture.cache.bytesCached == 0)
        try await fixture.shutdown()
    }

    @Test func aFileBiggerThanTheBudgetIsServedButNotKept() async throws {
        let fixture = Fixture(budget: 4096, poolThreads: 1)
        let big = try await fixture.lookup("big", 5, size: 10_000).get()
        #expect(!big.hit && big.file.size == 10_000)
        #expect(fixture.cache.bytesCached == 0)
        try await fixture.shutdown()
    }
}
