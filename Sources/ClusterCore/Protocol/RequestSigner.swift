import Foundation

/// The client side of request authentication: turns a request into a signed
/// `AUTH <unix-millis> <nonce> <mac> <request>` line (see `SignedRequestLine`).
///
/// Each call uses a fresh 128-bit random nonce and the current time, so every signed line is
/// single-use. Both are injectable so tests can produce known lines.
public struct RequestSigner: Sendable {
    private let key: ClusterKey
    private let clock: @Sendable () -> Date
    private let nonceSource: @Sendable () -> String

    /// - Parameters:
    ///   - key: the cluster key.
    ///   - clock: the current time.
    ///   - nonce: returns a nonce of 32 lowercase hex characters, unique per request.
    public init(
        key: ClusterKey,
        clock: @escaping @Sendable () -> Date = { Date() },
        nonce: @escaping @Sendable () -> String = RequestSigner.randomNonce
    ) {
        self.key = key
        self.clock = clock
        self.nonceSource = nonce
    }

    /// The signed line for `request`, without terminator.
    public func signedLine(for request: Request) -> String {
        signedLine(forRequestLine: request.serialized())
    }

    /// The signed line for an already serialised request line, signed exactly as given.
    public func signedLine(forRequestLine requestLine: String) -> String {
        SignedRequestLine(
            requestLine: requestLine,
            timestamp: SignedRequestLine.unixMilliseconds(clock()),
            nonce: nonceSource(),
            key: key
        ).serialized()
    }

    /// 16 bytes from the system's cryptographically secure generator, as 32 lowercase hex characters.
    public static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return LowercaseHex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
