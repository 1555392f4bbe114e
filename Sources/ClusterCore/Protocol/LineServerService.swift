import ServiceLifecycle

/// A `LineServer` as a swift-service-lifecycle service: it serves until the service group shuts
/// down gracefully (SIGTERM), then closes its listener and connections and returns.
public struct LineServerService: Service {
    public let server: LineServer

    public init(_ server: LineServer) { self.server = server }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await server.run()
        }
    }
}
