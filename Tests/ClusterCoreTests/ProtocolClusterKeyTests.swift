#if canImport(Glibc)
import ClusterTestSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

@testable import ClusterCore

@Suite("ClusterKey files")
struct ProtocolClusterKeyTests {
    /// A fresh private directory per test, removed afterwards.
    private func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thincluster-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    private func mode(of path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)!.intValue
    }

    private func writeFile(_ path: String, _ contents: String, mode: Int) throws {
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func aGeneratedKeyIsWrittenWithMode0600AndLoadsBack() throws {
        try withDirectory { directory in
            let path = directory + "/cluster.key"
            let key = ClusterKey.generate()
            try key.write(to: path)
            #expect(try mode(of: path) == 0o600)
            let contents = try String(contentsOfFile: path, encoding: .utf8)
            #expect(contents.count == 65 && contents.hasSuffix("\n"))
            #expect(try ClusterKey.load(path: path) == key)
            #expect(key != ClusterKey.generate())
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["cluster.key"])
        }
    }

    @Test func writingRefusesToReplaceAnExistingKeyUnlessAsked() throws {
        try withDirectory { directory in
            let path = directory + "/cluster.key"
            let first = ClusterKey.generate()
            let second = ClusterKey.generate()
            try first.write(to: path)
            #expect(throws: ClusterKeyError.alreadyExists(path: path)) { try second.write(to: path) }
            #expect(try ClusterKey.load(path: path) == first)
            try second.write(to: path, overwrite: true)
            #expect(try ClusterKey.load(path: path) == second)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["cluster.key"])
        }
    }

    @Test func aKeyFileReadableByOthersIsRefusedWithTheFix() throws {
        try withDirectory { directory in
            let path = directory + "/cluster.key"
            try writeFile(path, String(repeating: "ab", count: 32) + "\n", mode: 0o644)
            #expect(throws: ClusterKeyError.insecurePermissions(path: path, mode: 0o644)) { try ClusterKey.load(path: path) }
            let message = ClusterKeyError.insecurePermissions(path: path, mode: 0o644).description
            #expect(message.contains(path) && message.contains("0644") && message.contains("chmod 600 \(path)"))
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            #expect(throws: ClusterKeyError.insecurePermissions(path: path, mode: 0o640)) { try ClusterKey.load(path: path) }
        }
    }

    @Test(arguments: [0o600, 0o400])
    func ownerOnlyModesAreAccepted(mode: Int) throws {
        try withDirectory { directory in
            let path = directory + "/cluster.key"
            try writeFile(path, String(repeating: "0f", count: 32), mode: mode)
            #expect(try ClusterKey.load(path: path) == ClusterKey(bytes: Array(repeating: 0x0F, count: 32)))
        }
    }

    @Test(arguments: [
        ("", "found 0 characters"),
        (String(repeating: "a", count: 63) + "\n", "found 63 characters"),
        (String(repeating: "a", count: 66), "found 66 characters"),
        (String(repeating: "A", count: 64), "other than 0-9 and a-f"),
        (String(repeating: "x", count: 64), "other than 0-9 and a-f"),
        (String(repeating: "a", count: 64) + "\n\n", "found 65 characters"),
        (String(repeating: "a", count: 64) + "\n" + String(repeating: "b", count: 64) + "\n", "longer than one key line"),
        ("\u{FEFF}" + String(repeating: "a", count: 61), "other than 0-9 and a-f"),
    ])
    func badKeyContentIsRefused(contents: String, reason: String) throws {
        try withDirectory { directory in
            let path = directory + "/cluster.key"
            try writeFile(path, contents, mode: 0o600)
            #expect {
                try ClusterKey.load(path: path)
            } throws: { error in
                guard case ClusterKeyError.malformed(path, let found) = error else { return false }
                return found.contains(reason) && "\(error)".contains(path)
            }
        }
    }

    @Test func aMissingFileOrADirectoryIsRefused() throws {
        try withDirectory { directory in
            #expect(throws: ClusterKeyError.notARegularFile(path: directory)) { try ClusterKey.load(path: directory) }
            #expect {
                try ClusterKey.load(path: directory + "/absent.key")
            } throws: { error in
                guard case ClusterKeyError.unreadable(let path, _) = error else { return false }
                return path == directory + "/absent.key"
            }
        }
    }

    @Test func aFIFOAtTheKeyPathIsRefusedWithoutBlocking() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("thincluster-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/cluster.key"
        #expect(mkfifo(path, 0o600) == 0)
        try await withTimeout(.seconds(5)) { () async throws -> Void in
            #expect(throws: ClusterKeyError.notARegularFile(path: path)) { try ClusterKey.load(path: path) }
        }
    }

    @Test func keysMustBe32Bytes() {
        #expect(throws: ClusterKeyError.wrongLength(16)) { try ClusterKey(bytes: Array(repeating: 0, count: 16)) }
        #expect(throws: Never.self) { try ClusterKey(hex: String(repeating: "00", count: 32) + "\n") }
    }
}
