import Crypto

/// The secret shared by every node of a cluster, used to sign admin requests with
/// HMAC-SHA256 (see `RequestSigner` and `RequestAuthenticator`).
///
/// 32 random bytes, stored on disk as one line of 64 lowercase hex characters in a file only
/// its owner may access (mode 0600 or 0400). Equality is constant-time.
public struct ClusterKey: Equatable, Sendable {
    /// Length of a key in bytes.
    public static let byteCount = 32

    let symmetricKey: SymmetricKey

    /// Wraps existing key material.
    public init(bytes: some Collection<UInt8>) throws(ClusterKeyError) {
        guard bytes.count == Self.byteCount else { throw .wrongLength(bytes.count) }
        self.symmetricKey = SymmetricKey(data: Array(bytes))
    }

    /// Parses the key file format: 64 lowercase hex characters, optionally followed by one LF.
    public init(hex text: String) throws(ClusterKeyError) {
        try self.init(hex: text, path: nil)
    }

    init(hex text: String, path: String?) throws(ClusterKeyError) {
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        guard body.utf8.count == Self.byteCount * 2 else {
            throw .malformed(path: path, reason: "found \(body.utf8.count) characters")
        }
        guard let bytes = LowercaseHex.decode(body) else {
            throw .malformed(path: path, reason: "found a character other than 0-9 and a-f")
        }
        try self.init(bytes: bytes)
    }

    /// A new random key from the system's cryptographically secure generator.
    public static func generate() -> ClusterKey {
        ClusterKey(symmetricKey: SymmetricKey(size: .bits256))
    }

    private init(symmetricKey: SymmetricKey) {
        self.symmetricKey = symmetricKey
    }

    /// The key file contents: 64 lowercase hex characters and an LF.
    var fileContents: String {
        symmetricKey.withUnsafeBytes { LowercaseHex.encode($0) } + "\n"
    }
}
