import ArgumentParser
import ClusterCore
import Dispatch
import Foundation

/// `tcctl demo`: a whole cluster on this machine in one command, no configuration, no root.
///
/// Like the paper's five-server cluster (figure 5): five session servers, each with a health
/// agent reporting simulated load (several agents on one machine would otherwise all report
/// the same kernel), two of them also running a load balancer. Each server gets its own
/// loopback address (127.77.0.11-15), so the load balancers hand out distinct addresses exactly
/// as on a real LAN. The directory is written through the first load balancer and replicates to
/// the second. Ctrl-C stops everything.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a local cluster (5 health agents, 2 load balancers) on loopback and show its live status.",
        discussion: "Everything runs as child processes of tcctl on 127.77.0.x and unprivileged ports, with a temporary directory that is removed at the end. Press Ctrl-C to stop.")

    @Option(help: "The first three parts of the loopback addresses used.") var subnet = "127.77.0"
    @Option(help: "Thin-client port; the health agents use +1, admin +2, metrics +3.") var port: UInt16 = 17700
    @Option(help: "Seconds between status refreshes.") var refresh: Double = 2
    @Flag(help: "Show the status once and stop (for scripts and tests).") var once = false

    func run() async throws {
        guard port > 1023, port < 65_000 else { throw ValidationError("--port must be in 1024...64999") }
        let binaries = try DemoBinaries.locate()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thincluster-demo-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cluster = DemoCluster(binaries: binaries, folder: folder, subnet: subnet, port: port)
        defer { cluster.stop() }
        let interrupted = DemoInterrupt()
        try await cluster.start()
        let client = cluster.adminClient()
        try await cluster.seed(client)
        try await cluster.waitUntilConverged(client)
        cluster.printIntroduction()
        try await cluster.sampleLogins()
        let status = ClusterStatus(client: client)
        if once {
            ClusterStatus.render(await status.gather(), now: nil)
            return
        }
        print("\nlive status every \(refresh) s; Ctrl-C stops the cluster")
        try await Task.sleep(for: .seconds(3))
        while !interrupted.fired {
            print("\u{1B}[H\u{1B}[2J", terminator: "")
            ClusterStatus.render(await status.gather(), now: Date())
            cluster.printHints()
            let deadline = ContinuousClock.now + .milliseconds(Int(max(refresh, 0.2) * 1000))
            while !interrupted.fired, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        }
        print("\nstopping the demo cluster...")
    }
}

/// SIGINT and SIGTERM end the demo's loop instead of the process, so the children are stopped.
final class DemoInterrupt: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    var fired: Bool { lock.withLock { flag } }
    private func fire() { lock.withLock { flag = true } }
}

/// Where tc-healthd and tc-lbd are: next to tcctl (a build folder, or /usr/bin once packaged).
/// From a source checkout where they are not built yet, builds them first.
struct DemoBinaries {
    var health: URL
    var balancer: URL

    static func locate() throws -> DemoBinaries {
        let own = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        let folder = own.deletingLastPathComponent()
        let found = DemoBinaries(health: folder.appendingPathComponent("tc-healthd"), balancer: folder.appendingPathComponent("tc-lbd"))
        if found.exist { return found }
        // .build/<triple>/debug/tcctl: the package root is three folders up.
        let root = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
            throw CommandFailure("tc-healthd and tc-lbd are not next to tcctl in \(folder.path); install them or build the package")
        }
        let configuration = folder.lastPathComponent == "release" ? "release" : "debug"
        for product in ["tc-healthd", "tc-lbd"] {
            print("building \(product) (first run only)...")
            let build = Process()
            build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            build.arguments = ["swift", "build", "-c", configuration, "--product", product, "--package-path", root.path]
            try build.run()
            build.waitUntilExit()
            guard build.terminationStatus == 0 else { throw CommandFailure("building \(product) failed") }
        }
        guard found.exist else { throw CommandFailure("tc-healthd and tc-lbd were built but are not in \(folder.path)") }
        return found
    }

    var exist: Bool {
        FileManager.default.isExecutableFile(atPath: health.path) && FileManager.default.isExecutableFile(atPath: balancer.path)
    }
}
