/// What `LineFrameDecoder` makes of the bytes of one line.
public enum LineFrame: Hashable, Sendable {
    /// A complete line, terminator (LF or CRLF) removed. May be empty.
    case line(String)
    /// A complete line that is not valid UTF-8; the connection carries on with the next line.
    case invalidEncoding
    /// A line longer than the maximum. Emitted once; every later byte of the connection is
    /// discarded, because the peer is broken or hostile and is about to be disconnected.
    case tooLong
}
