/// What `RequestAuthenticator` decided about one request line.
public enum AuthenticationOutcome: Hashable, Sendable {
    /// An unsigned request for a verb that does not require authentication.
    case plain(Request)
    /// A signed request whose signature, timestamp and nonce all checked out.
    case authenticated(Request)
    /// Refused; answer `failure.response` and never pass the request to a handler.
    case rejected(AuthenticationFailure)
}

/// Why a request failed authentication.
///
/// `ERR auth` messages start with a fixed reason word (`unsigned`, `bad-mac`, `stale`,
/// `replayed`, `malformed`, `no-key`) so scripts can match on it; the rest is for people.
public enum AuthenticationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The verb requires a signed request and this one was not signed.
    case unsigned(verb: String)
    /// The MAC does not verify under the server's key: wrong key, or the line was altered.
    case badMAC
    /// The timestamp is further from the server's clock than the allowed skew.
    /// `offsetMilliseconds` is positive when the request claims to come from the future.
    case stale(offsetMilliseconds: Int64, allowedMilliseconds: Int64)
    /// The nonce was already used within the replay window.
    case replayed
    /// The `AUTH` header is not well formed.
    case malformed(String)
    /// The server has no cluster key, so it cannot check any signature.
    case noKey
    /// The replay cache is full, so the nonce cannot be remembered; see `NonceCache`.
    case replayCacheFull

    /// The response the server sends for this failure: `ERR auth <reason> ...`, or
    /// `ERR unavailable ...` when the server could verify the request but cannot take it now.
    public var response: Response {
        switch self {
        case .replayCacheFull: return .error(.unavailable, description)
        default: return .error(.auth, description)
        }
    }

    public var description: String {
        switch self {
        case .unsigned(let verb):
            return "unsigned: \(verb) requires a request signed with the cluster key"
        case .badMAC:
            return "bad-mac: signature does not verify with this server's cluster key"
        case .stale(let offset, let allowed):
            let direction = offset > 0 ? "ahead of" : "behind"
            return "stale: timestamp is \(Self.seconds(abs(offset))) s \(direction) the server clock "
                + "(allowed \(Self.seconds(allowed)) s); check NTP on both hosts"
        case .replayed:
            return "replayed: nonce already used"
        case .malformed(let reason):
            return "malformed: \(reason)"
        case .noKey:
            return "no-key: this server has no cluster key and accepts no signed requests"
        case .replayCacheFull:
            return "replay cache full, try another server"
        }
    }

    private static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return String(whole) }
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }
}
