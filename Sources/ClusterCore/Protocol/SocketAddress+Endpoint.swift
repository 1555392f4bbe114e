import NIOCore

extension SocketAddress {
    /// `host:port` (IPv6 in brackets), the form endpoints are written in everywhere else.
    public var endpointText: String {
        let host = ipAddress ?? "?"
        let port = port.map(String.init) ?? "?"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
