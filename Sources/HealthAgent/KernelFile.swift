#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the small files the sampler looks at: /proc and /sys files, utmp.
///
/// POSIX `read` until end of file rather than a size-then-read, because /proc files report a
/// size of 0. The error keeps `errno`'s meaning so an absent file (an old kernel, a container)
/// can be told apart from one that exists and fails.
enum KernelFile {
    /// The whole file, at most `limit` bytes.
    static func read(_ path: String, limit: Int) throws(KernelFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw errno == ENOENT ? .absent(path: path) : .unreadable(path: path, reason: lastError())
        }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw .unreadable(path: path, reason: lastError()) }
            if got == 0 { return bytes }
            guard bytes.count + got <= limit else { throw .tooLarge(path: path, limit: limit) }
            bytes.append(contentsOf: chunk[..<got])
        }
    }

    /// The file as text; kernel files are ASCII, and anything else is caught by the parsers.
    static func readText(_ path: String, limit: Int = 1 << 20) throws(KernelFileError) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `read(2)`, named apart from `KernelFile.read` which shadows it inside the enum.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Why a file the sampler needs could not be read.
enum KernelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist.
    case absent(path: String)
    /// It exists but opening or reading it failed (permissions; EOPNOTSUPP from
    /// /proc/pressure when the kernel was booted with `psi=0`).
    case unreadable(path: String, reason: String)
    /// Longer than the agent is willing to hold in memory.
    case tooLarge(path: String, limit: Int)

    var description: String {
        switch self {
        case .absent(let path): return "\(path) does not exist"
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .tooLarge(path, limit): return "\(path) is larger than \(limit) bytes"
        }
    }
}
