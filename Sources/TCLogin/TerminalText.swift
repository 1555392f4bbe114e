/// Text from outside (what was typed, what a load balancer wrote) made safe to show.
///
/// A load balancer's message or a mistyped username may contain escape sequences; written to
/// the console as they are, they could clear the screen or change its colours for the next user.
enum TerminalText {
    /// `text` with control characters shown as `?`, cut to `limit` characters with `...`.
    static func printable(_ text: some StringProtocol, limit: Int = 64) -> String {
        let scalars = text.unicodeScalars.map { scalar -> Unicode.Scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : scalar
        }
        let cleaned = String(String.UnicodeScalarView(scalars))
        return cleaned.count > limit ? cleaned.prefix(limit) + "..." : cleaned
    }
}
