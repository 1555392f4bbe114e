import NIOCore

/// One record of a utmp file, as glibc writes it on 64-bit Linux (x86_64, aarch64).
///
/// xdm registers each X session with sessreg, which appends or rewrites a record here; that is
/// how the agent counts the graphical sessions of thin clients (paper, section 6, step 4).
/// The layout is glibc's `struct utmp` with `__WORDSIZE_TIME64_COMPAT32`, 384 bytes, in the
/// host's byte order (utmp(5)):
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 2 (+2 pad) | ut_type, int16 |
/// | 4 | 4 | ut_pid, int32 |
/// | 8 | 32 | ut_line |
/// | 40 | 4 | ut_id |
/// | 44 | 32 | ut_user |
/// | 76 | 256 | ut_host |
/// | 332 | 4 | ut_exit: e_termination, e_exit, int16 each |
/// | 336 | 4 | ut_session, int32 |
/// | 340 | 8 | ut_tv: seconds, microseconds, int32 each |
/// | 348 | 16 | ut_addr_v6, 4 × int32 |
/// | 364 | 20 | unused |
///
/// Strings are NUL-padded and not NUL-terminated when they fill their field.
struct UtmpRecord: Equatable, Sendable {
    /// The size of one record.
    static let size = 384
    /// `ut_type` of a logged-in user's session.
    static let userProcess: Int16 = 7
    /// `ut_type` of a session that ended (sessreg -d writes this).
    static let deadProcess: Int16 = 8

    static let lineLength = 32
    static let idLength = 4
    static let userLength = 32
    static let hostLength = 256

    var type: Int16
    var pid: Int32
    var line: String
    var id: String
    var user: String
    var host: String
    var session: Int32
    var seconds: Int32
    var microseconds: Int32

    init(type: Int16, pid: Int32, line: String, id: String = "", user: String, host: String = "",
         session: Int32 = 0, seconds: Int32 = 0, microseconds: Int32 = 0) {
        self.type = type
        self.pid = pid
        self.line = line
        self.id = id
        self.user = user
        self.host = host
        self.session = session
        self.seconds = seconds
        self.microseconds = microseconds
    }

    /// Reads one record; fails without consuming anything when fewer than `size` bytes remain
    /// (a truncated trailing record, e.g. one being written while the file is read).
    init(parsing buffer: inout ByteBuffer) throws(UtmpError) {
        guard buffer.readableBytes >= Self.size, var record = buffer.readSlice(length: Self.size) else {
            throw .truncated(remainingBytes: buffer.readableBytes)
        }
        // Every read below is within the 384 bytes just checked, so none can fail; the
        // fallbacks keep that an assumption the compiler checks, not a force unwrap.
        type = record.readInteger(endianness: .host, as: Int16.self) ?? 0
        record.moveReaderIndex(forwardBy: 2)
        pid = record.readInteger(endianness: .host, as: Int32.self) ?? 0
        line = Self.readField(&record, length: Self.lineLength)
        id = Self.readField(&record, length: Self.idLength)
        user = Self.readField(&record, length: Self.userLength)
        host = Self.readField(&record, length: Self.hostLength)
        record.moveReaderIndex(forwardBy: 4)  // ut_exit
        session = record.readInteger(endianness: .host, as: Int32.self) ?? 0
        seconds = record.readInteger(endianness: .host, as: Int32.self) ?? 0
        microseconds = record.readInteger(endianness: .host, as: Int32.self) ?? 0
    }

    /// Writes the record in the layout above, fields truncated to their size; for tests and
    /// tools that need a utmp file.
    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(type, endianness: .host)
        buffer.writeRepeatingByte(0, count: 2)
        buffer.writeInteger(pid, endianness: .host)
        Self.writeField(line, length: Self.lineLength, to: &buffer)
        Self.writeField(id, length: Self.idLength, to: &buffer)
        Self.writeField(user, length: Self.userLength, to: &buffer)
        Self.writeField(host, length: Self.hostLength, to: &buffer)
        buffer.writeRepeatingByte(0, count: 4)
        buffer.writeInteger(session, endianness: .host)
        buffer.writeInteger(seconds, endianness: .host)
        buffer.writeInteger(microseconds, endianness: .host)
        buffer.writeRepeatingByte(0, count: 16 + 20)
    }

    /// A NUL-padded field: the bytes before the first NUL. Names that are not UTF-8 (written
    /// by something other than sessreg) are decoded with replacement characters, not dropped.
    private static func readField(_ record: inout ByteBuffer, length: Int) -> String {
        let bytes = record.readBytes(length: length) ?? []
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func writeField(_ value: String, length: Int, to buffer: inout ByteBuffer) {
        let bytes = Array(value.utf8.prefix(length))
        buffer.writeBytes(bytes)
        buffer.writeRepeatingByte(0, count: length - bytes.count)
    }
}

/// Why a utmp record could not be read.
enum UtmpError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than 384 bytes were left.
    case truncated(remainingBytes: Int)

    var description: String {
        switch self {
        case .truncated(let remaining):
            return "utmp ends with a partial record of \(remaining) bytes (a record is \(UtmpRecord.size))"
        }
    }
}
