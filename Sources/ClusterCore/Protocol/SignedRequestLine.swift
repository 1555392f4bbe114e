import Crypto
import Foundation

/// The wire format of a signed request:
/// `AUTH <unix-millis> <nonce> <mac> <request line>`.
///
/// `mac` is HMAC-SHA256 under the cluster key of
/// `"thincluster-auth-v1\n" + millis + "\n" + nonce + "\n" + request line`, where each part is
/// the exact text sent, so the server verifies the bytes it received, not a re-serialisation
/// of what it parsed (`%41` and `A` decode alike but are different bytes). The context string
/// keeps these MACs from being valid for any other use of the same key.
struct SignedRequestLine: Hashable, Sendable {
    static let verb = "AUTH"
    static let context = "thincluster-auth-v1"
    static let nonceLength = 32
    static let macLength = 64
    /// 16 digits is enough for unix milliseconds until the year 318857 and cannot overflow `Int64`.
    static let maximumTimestampDigits = 16

    /// The timestamp exactly as sent.
    let timestampText: String
    /// The timestamp in milliseconds since 1970-01-01 UTC.
    let timestamp: Int64
    /// 32 lowercase hex characters.
    let nonce: String
    /// The 32 MAC bytes.
    let mac: [UInt8]
    /// The inner request line exactly as sent.
    let requestLine: String

    /// True when `line` is meant as a signed request (its first token is `AUTH`).
    static func isSigned(_ line: String) -> Bool {
        line == verb || line.hasPrefix(verb + " ")
    }

    /// Signs `requestLine`.
    init(requestLine: String, timestamp: Int64, nonce: String, key: ClusterKey) {
        self.timestampText = String(timestamp)
        self.timestamp = timestamp
        self.nonce = nonce
        self.requestLine = requestLine
        let input = Self.authenticatedBytes(timestamp: timestampText, nonce: nonce, requestLine: requestLine)
        self.mac = Array(HMAC<SHA256>.authenticationCode(for: input, using: key.symmetricKey))
    }

    /// Parses the `AUTH` header; the inner line is kept as text and parsed after the MAC checks.
    init(parsing line: String) throws(AuthenticationFailure) {
        let parts = line.utf8.split(separator: UInt8(ascii: " "), maxSplits: 4, omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard parts.count == 5, parts[0] == Self.verb, !parts[4].isEmpty else {
            throw .malformed("expected AUTH <unix-millis> <nonce> <mac> <request>")
        }
        guard (1...Self.maximumTimestampDigits).contains(parts[1].utf8.count),
              parts[1].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let timestamp = Int64(parts[1])
        else { throw .malformed("timestamp must be unix milliseconds, 1-16 decimal digits") }
        guard LowercaseHex.isValid(parts[2], length: Self.nonceLength) else {
            throw .malformed("nonce must be 32 lowercase hex characters")
        }
        guard LowercaseHex.isValid(parts[3], length: Self.macLength), let mac = LowercaseHex.decode(parts[3]) else {
            throw .malformed("mac must be 64 lowercase hex characters")
        }
        guard !Self.isSigned(parts[4]) else { throw .malformed("a signed request cannot contain another AUTH") }
        self.timestampText = parts[1]
        self.timestamp = timestamp
        self.nonce = parts[2]
        self.mac = mac
        self.requestLine = parts[4]
    }

    /// The line as sent on the wire, without terminator.
    func serialized() -> String {
        [Self.verb, timestampText, nonce, LowercaseHex.encode(mac), requestLine].joined(separator: " ")
    }

    /// Whether `mac` authenticates this line under `key`, compared in constant time.
    func isAuthentic(under key: ClusterKey) -> Bool {
        let input = Self.authenticatedBytes(timestamp: timestampText, nonce: nonce, requestLine: requestLine)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: input, using: key.symmetricKey)
    }

    static func authenticatedBytes(timestamp: String, nonce: String, requestLine: String) -> [UInt8] {
        Array("\(context)\n\(timestamp)\n\(nonce)\n\(requestLine)".utf8)
    }

    /// Milliseconds since 1970-01-01 UTC, rounded down.
    static func unixMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
