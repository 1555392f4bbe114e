#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import Testing

@testable import HealthAgent

/// utmp parsing and session counting: bytes laid out by hand, files written by the real
/// sessreg, and files that are cut short or are not utmp at all.
@Suite struct SessionCounterTests {
    static let sessreg = "/usr/bin/sessreg"

    /// One glibc x86_64 `struct utmp`, written field by field at the offsets of utmp(5), not
    /// with `UtmpRecord.write`, so the layout is checked independently.
    static func handBuiltRecord(type: Int16, pid: Int32, line: String, user: String, host: String) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 384)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value) { raw in
                for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
            }
        }
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { bytes[offset + index] = byte }
        }
        put(type, at: 0)
        put(pid, at: 4)
        put(line, at: 8)
        put(String(line.suffix(4)), at: 40)
        put(user, at: 44)
        put(host, at: 76)
        put(Int32(77), at: 336)  // ut_session
        put(Int32(1_700_000_000), at: 340)  // ut_tv.tv_sec
        put(Int32(123_456), at: 344)  // ut_tv.tv_usec
        return bytes
    }

    @Test func aRecordIsReadAtTheGlibcOffsets() throws {
        var buffer = ByteBuffer(bytes: Self.handBuiltRecord(type: 7, pid: 4242, line: ":7", user: "alice", host: "10.0.0.5"))
        let record = try UtmpRecord(parsing: &buffer)
        #expect(record == UtmpRecord(
            type: 7, pid: 4242, line: ":7", id: ":7", user: "alice", host: "10.0.0.5",
            session: 77, seconds: 1_700_000_000, microseconds: 123_456
        ))
        #expect(buffer.readableBytes == 0)
    }

    @Test func writingAndParsingARecordRoundTrips() throws {
        let record = UtmpRecord(type: 7, pid: 99, line: "pts/3", id: "ts/3", user: "bob", host: "thin-12", session: 5,
                                seconds: 12, microseconds: 34)
        var buffer = ByteBuffer()
        record.write(to: &buffer)
        #expect(buffer.readableBytes == UtmpRecord.size)
        #expect(try UtmpRecord(parsing: &buffer) == record)
    }

    @Test func aFieldThatFillsItsWholeWidthHasNoTerminatingNul() throws {
        let user = String(repeating: "u", count: 32)
        var buffer = ByteBuffer(bytes: Self.handBuiltRecord(type: 7, pid: 1, line: ":0", user: user, host: ""))
        #expect(try UtmpRecord(parsing: &buffer).user == user)
    }

    @Test func liveUserProcessesAreSessionsAndUsersAreDistinctAndSorted() {
        let bytes = utmpBytes([
            UtmpRecord(type: 2, pid: 0, line: "~", user: "reboot"),  // BOOT_TIME
            UtmpRecord(type: 7, pid: 100, line: ":7", user: "carol"),
            UtmpRecord(type: 7, pid: 101, line: ":8", user: "alice"),
            UtmpRecord(type: 7, pid: 102, line: ":9", user: "carol"),
            UtmpRecord(type: 8, pid: 0, line: ":10", user: ""),  // DEAD_PROCESS
            UtmpRecord(type: 7, pid: 200, line: ":11", user: "dave"),  // crashed without sessreg -d
            UtmpRecord(type: 7, pid: 103, line: ":12", user: ""),
        ])
        let count = SessionCounter.count(utmp: bytes, isAlive: { $0 != 200 })
        #expect(count == SessionCount(sessions: 3, users: ["alice", "carol"]))
    }

    @Test func aTruncatedTrailingRecordIsIgnored() {
        let whole = utmpBytes([UtmpRecord(type: 7, pid: 1, line: ":7", user: "alice"),
                               UtmpRecord(type: 7, pid: 1, line: ":8", user: "bob")])
        let cut = Array(whole.prefix(UtmpRecord.size + 200))
        #expect(SessionCounter.count(utmp: cut, isAlive: { _ in true }) == SessionCount(sessions: 1, users: ["alice"]))
        #expect(SessionCounter.count(utmp: Array(whole.prefix(100)), isAlive: { _ in true }) == .none)
        #expect(SessionCounter.count(utmp: [], isAlive: { _ in true }) == .none)
    }

    @Test func aPartialRecordIsRefusedWithoutConsumingIt() {
        var buffer = ByteBuffer(bytes: [UInt8](repeating: 7, count: 383))
        #expect(throws: UtmpError.truncated(remainingBytes: 383)) { try UtmpRecord(parsing: &buffer) }
        #expect(buffer.readableBytes == 383)
    }

    @Test func garbageNeitherCrashesNorCountsMoreThanItsRecords() {
        var state: UInt32 = 12345
        let garbage = (0..<(UtmpRecord.size * 5 + 17)).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let count = SessionCounter.count(utmp: garbage, isAlive: { _ in true })
        #expect(count.sessions <= 5)
        // Garbage that claims USER_PROCESS with a name that is not UTF-8 still counts, readably.
        var record = Self.handBuiltRecord(type: 7, pid: 0, line: ":1", user: "", host: "")
        record[44] = 0xFF
        record[45] = 0x41
        #expect(SessionCounter.count(utmp: record, isAlive: { _ in true }).users == ["\u{FFFD}A"])
    }

    @Test func pidZeroIsNotCheckedAndNegativePidsAreDead() {
        #expect(ProcessLiveness.isAlive(0))
        #expect(ProcessLiveness.isAlive(getpid()))
        #expect(!ProcessLiveness.isAlive(-1))
        // The kernel's maximum PID is at most 2^22; no process has a larger one.
        #expect(!ProcessLiveness.isAlive(Int32(1 << 22) + 1))
    }

    @Test func aMissingUtmpFileIsReportedAsAbsent() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let counter = SessionCounter(path: directory.file("utmp"))
        #expect(throws: KernelFileError.absent(path: directory.file("utmp"))) { try counter.count() }
    }

    /// sessreg is what xdm runs (Xstartup/Xreset); its parent, this test process, is the
    /// session process it records, so the records are alive.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: sessreg), "needs sessreg (Debian: x11-xserver-utils)"))
    func aUtmpFileWrittenBySessregIsCounted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let utmp = directory.file("utmp")
        try directory.write("utmp", "")
        // xdm's Xstartup runs `sessreg -a -l $DISPLAY`; a thin client's display is remote.
        try await Self.runSessreg(["-a", "-l", "10.0.0.7:0", "alice"], utmp: utmp)
        try await Self.runSessreg(["-a", "-l", ":8", "bob"], utmp: utmp)
        try await Self.runSessreg(["-a", "-l", ":9", "alice"], utmp: utmp)

        let counter = SessionCounter(path: utmp)
        #expect(try counter.count() == SessionCount(sessions: 3, users: ["alice", "bob"]))
        var buffer = ByteBuffer(bytes: try KernelFile.read(utmp, limit: 1 << 20))
        let first = try UtmpRecord(parsing: &buffer)
        #expect(first.type == UtmpRecord.userProcess)
        #expect(first.pid == getpid())
        #expect(first.line == "10.0.0.7:0")
        #expect(first.user == "alice")
        #expect(first.host == "10.0.0.7:0")

        // Logging out (xdm's Xreset runs sessreg -d) turns the record into DEAD_PROCESS.
        try await Self.runSessreg(["-d", "-l", ":8", "bob"], utmp: utmp)
        #expect(try counter.count() == SessionCount(sessions: 2, users: ["alice"]))
    }

    private static func runSessreg(_ arguments: [String], utmp: String) async throws {
        // No wtmp or lastlog: the test must not touch the machine's, and lastlog needs a real user.
        let status = try await runToCompletion(sessreg, ["-u", utmp, "-w", "none", "-L", "none"] + arguments)
        guard status == 0 else { throw TestFailure("sessreg \(arguments) exited with status \(status)") }
    }
}
