import Foundation
import Testing

@testable import TFTPd

/// Every requested name stays inside the root: the ways out that clients (and attackers) try.
struct PathResolverTests {
    /// root/{boot.bin, sub/menu.cfg, inside -> boot.bin, escape -> ../secret, dir/}; secret next to root.
    private func withRoot(_ body: (PathResolver, String) throws -> Void) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tftp-root-\(UUID().uuidString)").path
        let root = base + "/root"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/dir", withIntermediateDirectories: true)
        try Data("boot".utf8).write(to: URL(fileURLWithPath: root + "/boot.bin"))
        try Data("menu".utf8).write(to: URL(fileURLWithPath: root + "/sub/Menu.cfg"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: base + "/secret"))
        try FileManager.default.createSymbolicLink(atPath: root + "/inside", withDestinationPath: "boot.bin")
        try FileManager.default.createSymbolicLink(atPath: root + "/escape", withDestinationPath: "../secret")
        try FileManager.default.createSymbolicLink(atPath: root + "/sub/up", withDestinationPath: "../..")
        try body(try PathResolver(root: root), root)
    }

    private func failure(_ resolver: PathResolver, _ name: String) -> PathResolver.Failure? {
        do {
            _ = try resolver.resolve(name)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainNamesLeadingSlashesDotsAndBackslashesResolveInsideTheRoot() throws {
        try withRoot { (resolver: PathResolver, root: String) throws(any Error) in
            let real = resolver.root
            #expect(try resolver.resolve("boot.bin") == real + "/boot.bin")
            #expect(try resolver.resolve("/boot.bin") == real + "/boot.bin")
            #expect(try resolver.resolve("//./boot.bin") == real + "/boot.bin")
            #expect(try resolver.resolve("sub\\Menu.cfg") == real + "/sub/Menu.cfg")
            #expect(try resolver.resolve("inside") == real + "/boot.bin", "a symlink that stays inside is followed")
            _ = root
        }
    }

    @Test(arguments: ["../secret", "/../secret", "sub/../../secret", "..\\secret", "sub/..", "escape", "sub/up/secret", "..", "sub/../boot.bin"])
    func waysOutAreRefused(name: String) throws {
        try withRoot { (resolver: PathResolver, _: String) throws(any Error) in
            let outcome = failure(resolver, name)
            #expect(outcome != nil, "\(name) resolved")
            if case .outsideRoot? = outcome {} else {
                Issue.record("\(name): expected outsideRoot, got \(String(describing: outcome))")
            }
        }
    }

    @Test func absoluteHostPathsAreReadUnderTheRootNotFromTheHost() throws {
        try withRoot { (resolver: PathResolver, _: String) throws(any Error) in
            #expect(failure(resolver, "/etc/hostname") == .notFound("/etc/hostname"))
        }
    }

    @Test func directoriesMissingFilesAndOverlongNamesAreRefused() throws {
        try withRoot { (resolver: PathResolver, _: String) throws(any Error) in
            #expect(failure(resolver, "dir") == .notAFile("dir"))
            #expect(failure(resolver, "/") == .notAFile("/"))
            #expect(failure(resolver, "nothing.bin") == .notFound("nothing.bin"))
            #expect(failure(resolver, String(repeating: "a", count: 256)) == .tooLong)
        }
    }

    @Test func caseIsIgnoredOnlyWhenConfigured() throws {
        try withRoot { (resolver: PathResolver, root: String) throws(any Error) in
            #expect(failure(resolver, "SUB/menu.CFG") == .notFound("SUB/menu.CFG"))
            let relaxed = try PathResolver(root: root, caseInsensitive: true)
            #expect(try relaxed.resolve("SUB/menu.CFG") == relaxed.root + "/sub/Menu.cfg")
            #expect(throws: PathResolver.Failure.self) { try relaxed.resolve("ESCAPE") }
        }
    }

    @Test func backslashesStayLiteralWhenRemappingIsOff() throws {
        try withRoot { (_: PathResolver, root: String) throws(any Error) in
            let literal = try PathResolver(root: root, remapBackslashes: false)
            #expect(failure(literal, "sub\\Menu.cfg") == .notFound("sub\\Menu.cfg"))
        }
    }
}
