#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ClusterTestSupport
import Foundation
import NIOCore

@testable import HealthAgent

/// A failed expectation in a helper, with its reason.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/healthd-test-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw TestFailure("mkdtemp failed")
        }
        path = String(cString: created)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    }

    /// An executable shell script, standing in for systemctl.
    func script(_ name: String, _ body: String) throws -> String {
        try write(name, "#!/bin/sh\n" + body + "\n")
        chmod(file(name), 0o755)
        return file(name)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The bytes of a utmp file holding `records`.
func utmpBytes(_ records: [UtmpRecord]) -> [UInt8] {
    var buffer = ByteBuffer()
    for record in records { record.write(to: &buffer) }
    return Array(buffer.readableBytesView)
}

/// A TCP port on 127.0.0.1 that was free a moment ago: bound with port 0, read, and closed, for
/// a child process that must be told its port on the command line.
func freeLocalPort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw TestFailure("socket failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw TestFailure("bind failed") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw TestFailure("getsockname failed") }
    return UInt16(bigEndian: address.sin_port)
}

/// Runs a short-lived tool to completion without blocking a thread of the cooperative pool,
/// bounded by `limit`; returns its exit status.
func runToCompletion(_ executable: String, _ arguments: [String], within limit: Duration = .seconds(20)) async throws -> Int32 {
    try await runToolAsync(executable, arguments, timeout: limit).status
}
