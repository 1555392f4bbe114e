/// Why text is not an `Endpoint`; each message shows the accepted forms.
public enum EndpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is empty.
    case empty
    /// No `:port` after the host.
    case missingPort(String)
    /// The port is not 1-65535 in decimal digits.
    case invalidPort(String)
    /// Nothing before `:port`.
    case emptyHost(String)
    /// An IPv6 address without brackets: its colons are ambiguous.
    case unbracketedIPv6(String)
    /// `[` without `]`.
    case unclosedBracket(String)
    /// Brackets around something that is not an IPv6 address.
    case bracketedNonIPv6(String)
    /// The host is neither an IP address nor a valid DNS name.
    case invalidHost(String)
    /// A space, control character, stray bracket or `/`.
    case invalidCharacter(String)

    public var description: String {
        let forms = "expected host:port or [ipv6-address]:port, e.g. lb1.example.net:4000 or [fd00::1]:4000"
        switch self {
        case .empty: return "empty endpoint; \(forms)"
        case .missingPort(let text): return "endpoint '\(text)' has no port; \(forms)"
        case .invalidPort(let text): return "endpoint '\(text)' needs a port of 1-65535 in decimal digits"
        case .emptyHost(let text): return "endpoint '\(text)' has no host; \(forms)"
        case .unbracketedIPv6(let text): return "endpoint '\(text)': put an IPv6 address in brackets, e.g. [fd00::1]:4000"
        case .unclosedBracket(let text): return "endpoint '\(text)' opens '[' without closing ']'"
        case .bracketedNonIPv6(let text): return "endpoint '\(text)': brackets are only for IPv6 addresses"
        case .invalidHost(let text): return "endpoint '\(text)': the host must be an IPv4 or IPv6 address or a DNS name"
        case .invalidCharacter(let text): return "endpoint \(ProtocolError.excerpt(text)) contains a space, control character, bracket or '/'"
        }
    }
}
