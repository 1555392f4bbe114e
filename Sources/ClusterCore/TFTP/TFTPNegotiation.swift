/// What a read transfer will use after option negotiation (RFC 2347), and the OACK that says so.
public struct TFTPNegotiation: Equatable, Sendable {
    /// The server's bounds. A client asking for more gets the bound (RFC 2348 §2 lets the server
    /// answer a smaller block size; RFC 7440 §4 a smaller window).
    public struct Limits: Equatable, Sendable {
        /// Default 1468: an Ethernet frame's 1500 bytes less IP, UDP and TFTP headers, so no
        /// block is ever fragmented. At most 65464 (RFC 2348).
        public var maximumBlockSize: Int
        public var maximumWindowSize: Int

        public init(maximumBlockSize: Int = 1468, maximumWindowSize: Int = 64) {
            self.maximumBlockSize = min(max(maximumBlockSize, 8), 65_464)
            self.maximumWindowSize = min(max(maximumWindowSize, 1), 65_535)
        }
    }

    public var blockSize: Int = 512
    /// Seconds before a block is sent again, when the client asked (RFC 2349 §2); nil for the
    /// server's own.
    public var timeoutSeconds: Int?
    public var windowSize: Int = 1
    /// The options acknowledged, in the order the client sent them; empty means no OACK, and
    /// the transfer starts with DATA block 1 (RFC 2347 §2).
    public var acknowledged: [TFTPOption] = []

    public init() {}

    /// Accepts each option it knows with a value in range, bounded by `limits`; ignores the rest,
    /// as RFC 2347 §2 says a server must for options it does not support.
    public init(request: TFTPRequest, fileSize: Int, limits: Limits) {
        for option in request.options {
            guard let value = Int(option.value), option.value.utf8.count <= 10 else { continue }
            switch option.name {
            case TFTPOption.blockSize where (8...65_464).contains(value):
                blockSize = min(value, limits.maximumBlockSize)
                acknowledged.append(TFTPOption(option.name, String(blockSize)))
            case TFTPOption.timeout where (1...255).contains(value):
                timeoutSeconds = value
                acknowledged.append(TFTPOption(option.name, String(value)))
            // A 0-byte file's size is left unacknowledged: curl refuses "tsize 0" in an OACK
            // and aborts, and RFC 2349 lets the server ignore the option.
            case TFTPOption.transferSize where value >= 0 && fileSize > 0:
                acknowledged.append(TFTPOption(option.name, String(fileSize)))
            case TFTPOption.windowSize where (1...65_535).contains(value):
                windowSize = min(value, limits.maximumWindowSize)
                acknowledged.append(TFTPOption(option.name, String(windowSize)))
            default:
                continue
            }
        }
    }
}
