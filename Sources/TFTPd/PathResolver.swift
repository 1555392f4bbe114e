#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Turns a requested file name into a file inside the served root, or says why not.
///
/// The name is taken apart, never concatenated as is: `\` may become `/` (Windows-style
/// clients), leading `/` are dropped (firmware often asks for "/pxelinux.0" meaning the root's),
/// empty and `.` components vanish, and `..` anywhere is refused rather than resolved. The
/// result is then resolved by the kernel (realpath), so a symlink that leads outside the root
/// is refused too, while one that stays inside works.
struct PathResolver: Sendable {
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// `..`, or a symlink leading out of the root.
        case outsideRoot(String)
        case notFound(String)
        /// A directory, a device, a socket: only regular files are served.
        case notAFile(String)
        case tooLong

        var description: String {
            switch self {
            case .outsideRoot: "access violation"
            case .notFound: "file not found"
            case .notAFile: "not a regular file"
            case .tooLong: "file name too long"
            }
        }
    }

    /// The root, resolved once (itself possibly a symlink, e.g. /srv/tftp → /var/lib/tftpboot).
    let root: String
    let remapBackslashes: Bool
    let caseInsensitive: Bool

    static let maximumNameLength = 255

    init(root: String, remapBackslashes: Bool = true, caseInsensitive: Bool = false) throws {
        guard let resolved = realpath(root, nil) else {
            throw PathResolverError(description: "tftp.root: \"\(root)\" cannot be resolved: \(String(cString: strerror(errno)))")
        }
        self.root = String(cString: resolved)
        free(resolved)
        var status = stat()
        guard stat(self.root, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw PathResolverError(description: "tftp.root: \"\(root)\" is not a directory")
        }
        self.remapBackslashes = remapBackslashes
        self.caseInsensitive = caseInsensitive
    }

    /// The components of `name` relative to the root.
    func components(of name: String) throws(Failure) -> [String] {
        guard name.utf8.count <= Self.maximumNameLength else { throw .tooLong }
        let text = remapBackslashes ? name.replacingOccurrences(of: "\\", with: "/") : name
        var parts: [String] = []
        for part in text.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw .outsideRoot(name) }
            parts.append(String(part))
        }
        guard !parts.isEmpty else { throw .notAFile(name) }
        return parts
    }

    /// The real path of the regular file `name` names under the root.
    func resolve(_ name: String) throws(Failure) -> String {
        let parts = try components(of: name)
        var candidate = root + "/" + parts.joined(separator: "/")
        if caseInsensitive, access(candidate, F_OK) != 0, let found = findIgnoringCase(parts) {
            candidate = found
        }
        guard let resolved = realpath(candidate, nil) else {
            throw errno == ENOENT || errno == ENOTDIR ? .notFound(name) : .outsideRoot(name)
        }
        let path = String(cString: resolved)
        free(resolved)
        guard path.hasPrefix(root == "/" ? "/" : root + "/") else { throw .outsideRoot(name) }
        var status = stat()
        guard stat(path, &status) == 0 else { throw .notFound(name) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notAFile(name) }
        return path
    }

    /// Walks the components, matching each against the directory's entries without case.
    private func findIgnoringCase(_ parts: [String]) -> String? {
        var directory = root
        for part in parts {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory),
                  let match = entries.first(where: { $0.lowercased() == part.lowercased() })
            else { return nil }
            directory += "/" + match
        }
        return directory
    }
}

struct PathResolverError: Error, CustomStringConvertible {
    let description: String
}
