import ServiceLifecycle

/// The login loop as a swift-service-lifecycle service, so that SIGTERM, SIGHUP and SIGINT end
/// it gracefully: the prompt stops waiting and a running display command is asked to exit
/// (SIGTERM, then SIGKILL) and reaped before tc-login exits, leaving no X server behind.
actor LoginService: Service {
    private let loop: LoginLoop
    /// The status tc-login exits with, once `run()` has returned.
    private(set) var exitStatus: Int32 = 0

    init(loop: LoginLoop) {
        self.loop = loop
    }

    func run() async throws {
        let loop = self.loop
        exitStatus = await cancelWhenGracefulShutdown { await loop.run() }
    }
}
