extension LineServer {
    /// Where a `LineServer` listens and the limits it enforces on every connection.
    public struct Configuration: Sendable {
        /// The address to bind, e.g. `0.0.0.0`, `::` or `127.0.0.1`.
        public var host: String
        /// The TCP port; 0 asks the system for a free one (see `LineServer.localPort()`).
        public var port: Int
        /// How long the server waits for a complete request line (from accept or from the
        /// previous response) or for the peer to read its responses; see
        /// `ConnectionDeadlineHandler`. Default 30 s.
        public var idleTimeout: Duration
        /// The longest request line accepted, in bytes, excluding the LF or CRLF. A signed
        /// request adds 117 bytes (with a 13-digit timestamp) to the request it carries. Default 8192.
        public var maximumLineLength: Int
        /// The most connections served at once; beyond it a new connection is closed at once,
        /// so a flood of idle connections cannot exhaust file descriptors. Default 4096.
        public var maximumConnections: Int

        /// A configuration with the defaults above for every limit.
        public init(
            host: String,
            port: Int,
            idleTimeout: Duration = .seconds(30),
            maximumLineLength: Int = 8192,
            maximumConnections: Int = 4096
        ) {
            self.host = host
            self.port = port
            self.idleTimeout = idleTimeout
            self.maximumLineLength = maximumLineLength
            self.maximumConnections = maximumConnections
        }
    }
}
