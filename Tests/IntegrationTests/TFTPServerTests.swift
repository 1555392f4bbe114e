import ClusterTestSupport
import Foundation
import Testing

extension IntegrationSuite {
    /// The real tc-tftpd on 127.0.0.1 against the TFTP clients boot scripts and admins use:
    /// tftp-hpa's tftp, curl, busybox tftp and atftp. Downloads must be byte-for-byte the files.
    @Suite(.enabled(if: TFTPClients.installed, "needs tftp-hpa, atftp, curl and busybox"))
    struct TFTPServerTests {
        /// A root with files of 0, 512, 513 bytes and 40 MiB (81,921 blocks at 512: the block
        /// number wraps), a secret beside it and a symlink pointing at the secret.
        final class Server {
            let folder: URL
            let root: URL
            let port: Int
            let metricsPort: Int
            let daemon: ChildProcess
            static let sizes = ["empty": 0, "exact512": 512, "over513": 513, "big40m": 40 << 20]

            init(config: [String] = [], bigFile: Bool = false, directory: String? = nil, prepare: (URL) throws -> Void = { _ in }) throws {
                folder = FileManager.default.temporaryDirectory.appendingPathComponent("tftp-\(UUID().uuidString)")
                root = folder.appendingPathComponent("root")
                try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
                var generator = SystemRandomNumberGenerator()
                for (name, size) in Self.sizes where bigFile || size < 1 << 20 {
                    let bytes = (0..<(size + 7) / 8).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
                    try Data(bytes.prefix(size)).write(to: root.appendingPathComponent(name))
                }
                try Data("top secret\n".utf8).write(to: folder.appendingPathComponent("secret"))
                try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("escape").path, withDestinationPath: "../secret")
                try prepare(root)
                // Below the kernel's ephemeral range (32768 and up), so no client connection of
                // another test can hold them; a port taken anyway makes the daemon exit, and the
                // next pair is tried.
                var started: (port: Int, metricsPort: Int, daemon: ChildProcess)?
                var logs = ""
                for _ in 0..<5 where started == nil {
                    let port = Int.random(in: 10_000...21_999), metricsPort = port + 10_000
                    let yaml = folder.appendingPathComponent("node.yaml")
                    try (["tftp:", "  root: \(root.path)", "  listen: \"127.0.0.1:\(port)\"", "  metricsListen: \"127.0.0.1:\(metricsPort)\""]
                        + config.map { "  " + $0 } + (directory.map { ["directory:", "  path: \($0)"] } ?? []))
                        .joined(separator: "\n").write(to: yaml, atomically: true, encoding: .utf8)
                    let daemon = try ChildProcess(name: "tc-tftpd", executable: Binaries.url("tc-tftpd"), arguments: ["--config", yaml.path],
                                                  logDirectory: folder)
                    // Both listeners are up once /metrics answers.
                    if daemon.waitForLine(containing: "listening on", timeout: .seconds(20)) != nil,
                       Self.metricsAnswer(port: metricsPort, daemon: daemon) {
                        started = (port, metricsPort, daemon)
                    } else {
                        logs += daemon.log
                        daemon.stop()
                    }
                }
                guard let started else {
                    try? FileManager.default.removeItem(at: folder)
                    throw ToolError("tc-tftpd did not start: \(logs)")
                }
                port = started.port
                metricsPort = started.metricsPort
                daemon = started.daemon
            }

            private static func metricsAnswer(port: Int, daemon: ChildProcess) -> Bool {
                for _ in 0..<50 where daemon.isRunning {
                    if (try? runTool("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/metrics"]))?.status == 0 { return true }
                    usleep(100_000)
                }
                return false
            }

            func original(_ name: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(name)) }
            func download(_ name: String) -> URL { folder.appendingPathComponent("got-\(UUID().uuidString)-\(name)") }

            func metrics() throws -> String {
                try runTool("/usr/bin/curl", ["-s", "http://127.0.0.1:\(metricsPort)/metrics"]).stdout
            }

            func stop() {
                daemon.stop()
                try? FileManager.default.removeItem(at: folder)
            }
        }

        @Test func everyClientDownloadsSmallFilesByteForByte() throws {
            let server = try Server()
            defer { server.stop() }
            for name in ["empty", "exact512", "over513"] {
                let expected = try server.original(name)
                let hpa = server.download(name)
                let tftp = try runTool("/usr/bin/tftp", ["127.0.0.1", "\(server.port)", "-m", "binary", "-c", "get", name, hpa.path])
                #expect(tftp.status == 0 && (try? Data(contentsOf: hpa)) == expected, "tftp-hpa \(name): \(tftp.stdout)\(tftp.stderr)")

                for blockSize in [nil, "1468"] {
                    let got = server.download(name)
                    let curl = try runTool("/usr/bin/curl", ["-sS", "-o", got.path] + (blockSize.map { ["--tftp-blksize", $0] } ?? [])
                        + ["tftp://127.0.0.1:\(server.port)/\(name)"])
                    // curl writes no file for an empty download.
                    let data = (try? Data(contentsOf: got)) ?? Data()
                    #expect(curl.status == 0 && data == expected, "curl \(blockSize ?? "512") \(name): \(curl.stderr)")
                }

                let small = server.download(name)
                let busybox = try runTool("/usr/bin/busybox", ["tftp", "-g", "-r", name, "-l", small.path, "127.0.0.1", "\(server.port)"])
                #expect(busybox.status == 0 && (try? Data(contentsOf: small)) == expected, "busybox \(name): \(busybox.stderr)")

                let windowed = server.download(name)
                let atftp = try runTool("/usr/bin/atftp", ["--option", "windowsize 16", "--option", "blksize 1468", "-g", "-r", name,
                                                           "-l", windowed.path, "127.0.0.1", "\(server.port)"])
                #expect(atftp.status == 0 && (try? Data(contentsOf: windowed)) == expected, "atftp \(name): \(atftp.stderr)")
            }
        }

        @Test func aFortyMiBFileCrossesTheBlockNumberWrapIntact() throws {
            let server = try Server(bigFile: true)
            defer { server.stop() }
            let expected = try server.original("big40m")
            // 512-byte blocks: 81,921 blocks, so block numbers wrap past 65535.
            let lockstep = server.download("big40m")
            let curl = try runTool("/usr/bin/curl", ["-sS", "-o", lockstep.path, "tftp://127.0.0.1:\(server.port)/big40m"], timeout: .seconds(120))
            #expect(curl.status == 0, "\(curl.stderr)")
            #expect((try? Data(contentsOf: lockstep)) == expected, "curl at 512-byte blocks")
            let windowed = server.download("big40m")
            let atftp = try runTool("/usr/bin/atftp", ["--option", "windowsize 16", "--option", "blksize 1468", "-g", "-r", "big40m",
                                                       "-l", windowed.path, "127.0.0.1", "\(server.port)"], timeout: .seconds(120))
            #expect(atftp.status == 0, "\(atftp.stderr)")
            #expect((try? Data(contentsOf: windowed)) == expected, "atftp with windowsize 16")
            // tftp-hpa (512-byte blocks, no options), busybox and curl with 1468-byte blocks.
            let hpa = server.download("big40m")
            let tftp = try runTool("/usr/bin/tftp", ["127.0.0.1", "\(server.port)", "-m", "binary", "-c", "get", "big40m", hpa.path], timeout: .seconds(120))
            #expect(tftp.status == 0 && (try? Data(contentsOf: hpa)) == expected, "tftp-hpa: \(tftp.stdout)\(tftp.stderr)")
            let small = server.download("big40m")
            let busybox = try runTool("/usr/bin/busybox", ["tftp", "-b", "1468", "-g", "-r", "big40m", "-l", small.path, "127.0.0.1", "\(server.port)"],
                                      timeout: .seconds(120))
            #expect(busybox.status == 0 && (try? Data(contentsOf: small)) == expected, "busybox: \(busybox.stderr)")
            let large = server.download("big40m")
            let curlLarge = try runTool("/usr/bin/curl", ["-sS", "--tftp-blksize", "1468", "-o", large.path, "tftp://127.0.0.1:\(server.port)/big40m"],
                                        timeout: .seconds(120))
            #expect(curlLarge.status == 0 && (try? Data(contentsOf: large)) == expected, "curl 1468: \(curlLarge.stderr)")
            // The file was read from disk once per block size (512 and 1468), then shared.
            let metrics = try server.metrics()
            #expect(metrics.contains("tc_tftpd_cache_lookups_total{result=\"miss\"} 2"), "one read per block size: \(metrics)")
            #expect(metrics.contains("tc_tftpd_cache_lookups_total{result=\"hit\"} 3"), "\(metrics)")
        }

        @Test func pathEscapesGetAnErrorAndReadNothingOutsideTheRoot() throws {
            let server = try Server()
            defer { server.stop() }
            for name in ["../secret", "/../secret", "sub/../../secret", "..\\secret", "escape", "/etc/hostname"] {
                let target = server.download("escape")
                let result = try runTool("/usr/bin/tftp", ["127.0.0.1", "\(server.port)", "-m", "binary", "-c", "get", name, target.path])
                let output = result.stdout + result.stderr
                #expect(output.contains("Error code 2") || output.contains("Error code 1"), "\(name): \(output)")
                let data = (try? Data(contentsOf: target)) ?? Data()
                #expect(!String(decoding: data, as: UTF8.self).contains("top secret"), "\(name) leaked the secret")
                #expect(data.isEmpty, "\(name): \(data.count) bytes written")
            }
            let metrics = try server.metrics()
            #expect(metrics.contains("tc_tftpd_transfers_total{outcome=\"started\"} 0"), "no transfer started: \(metrics)")
        }

        @Test func uploadsAreRefused() throws {
            let server = try Server()
            defer { server.stop() }
            let file = server.folder.appendingPathComponent("upload")
            try Data("x".utf8).write(to: file)
            let result = try runTool("/usr/bin/tftp", ["127.0.0.1", "\(server.port)", "-m", "binary", "-c", "put", file.path, "uploaded"])
            #expect((result.stdout + result.stderr).contains("Error code 2: read-only server"), "\(result.stdout)\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: server.root.appendingPathComponent("uploaded").path))
        }

        @Test func aTemplateIsRenderedForTheClientFromTheDirectory() throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tftp-dir-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let database = scratch.appendingPathComponent("directory.sqlite").path
            // The test's client asks from 127.0.0.1: that is the address bound to its MAC.
            for arguments in [["host", "add", "52:54:00:7c:10:01", "--ip", "127.0.0.1", "--hostname", "tc-lab", "--profile", "kiosk"],
                              ["server", "add", "lb1", "--address", "10.0.0.2", "--roles", "balancer"],
                              ["server", "add", "lb2", "--address", "10.0.0.3", "--roles", "balancer,session"]] {
                let result = try runTool("tcctl", arguments + ["--db", database])
                #expect(result.status == 0, "\(result.stderr)")
            }
            let server = try Server(directory: database) { root in
                try FileManager.default.createDirectory(at: root.appendingPathComponent("pxelinux.cfg"), withIntermediateDirectories: true)
                try Data("APPEND nfsroot={server}:/srv/ltsp host={hostname} mac={mac} profile={profile} ip={client} lbs={loadBalancers} {other}\n".utf8)
                    .write(to: root.appendingPathComponent("pxelinux.cfg/default.tmpl"))
            }
            defer { server.stop() }
            let got = server.download("default")
            let curl = try runTool("/usr/bin/curl", ["-sS", "-o", got.path, "tftp://127.0.0.1:\(server.port)/pxelinux.cfg/default"])
            #expect(curl.status == 0, "\(curl.stderr)")
            let text = (try? String(contentsOf: got, encoding: .utf8)) ?? ""
            #expect(text == "APPEND nfsroot=127.0.0.1:/srv/ltsp host=tc-lab mac=52:54:00:7c:10:01 profile=kiosk ip=127.0.0.1 lbs=10.0.0.2,10.0.0.3 {other}\n",
                    "\(server.daemon.log)")
        }

        @Test func aClientThatRefusesTheOptionAcknowledgementEndsTheTransfer() throws {
            let server = try Server(config: ["retransmitMilliseconds: 200", "retries: 2"])
            defer { server.stop() }
            let socket = try SilentClient()
            defer { socket.close() }
            try socket.sendReadRequest("over513", port: server.port, options: ["blksize": "1024", "tsize": "0"])
            let (oack, transferPort) = try #require(socket.receive(), "no answer to the request")
            #expect(oack == [0, 6] + Array("blksize\u{0}1024\u{0}tsize\u{0}513\u{0}".utf8))
            // RFC 2347 §3: a client that does not accept the OACK answers ERROR 8.
            try socket.send([0, 5, 0, 8] + Array("options refused".utf8) + [0], port: transferPort)
            var ended = false
            for _ in 0..<30 where !ended {
                ended = try server.metrics().contains("tc_tftpd_transfers_total{outcome=\"options-refused\"} 1")
                if !ended { usleep(100_000) }
            }
            let metrics = try server.metrics()
            #expect(ended, "\(metrics)")
            let rest = socket.receiveAll(for: .milliseconds(800))
            #expect(!rest.contains { $0.starts(with: [0, 3]) }, "no DATA after the refusal")
        }

        @Test func strangersOnATransferPortGetAFewErrorsAndTheTransferGoesOn() throws {
            let server = try Server()
            defer { server.stop() }
            let client = try SilentClient()
            defer { client.close() }
            try client.sendReadRequest("over513", port: server.port)
            let (first, transferPort) = try #require(client.receive(), "no answer to the request")
            #expect(first.starts(with: [0, 3, 0, 1]) && first.count == 516)
            // RFC 1350 §4: a packet from another port gets ERROR 5. A flood of them gets only a
            // few, so that spoofed packets cannot turn the server into a reflector.
            let stranger = try SilentClient()
            defer { stranger.close() }
            for _ in 0..<100 { try stranger.send([0, 4, 0, 1], port: transferPort) }
            let answers = stranger.receiveAll(for: .milliseconds(300))
            #expect(answers.allSatisfy { $0.starts(with: [0, 5, 0, 5]) }, "\(answers)")
            #expect(!answers.isEmpty && answers.count < 100, "\(answers.count) ERROR 5 for 100 packets")
            // The transfer went on: the client's own ACK of block 1 brings block 2, 1 byte.
            try client.send([0, 4, 0, 1], port: transferPort)
            let (second, secondPort) = try #require(client.receive(), "no block 2")
            #expect(second.starts(with: [0, 3, 0, 2]) && second.count == 5 && secondPort == transferPort)
            let metrics = try server.metrics()
            #expect(metrics.contains("tc_tftpd_dropped_total{reason=\"unknown-transfer-id\"}"), "\(metrics)")
        }

        @Test func aClientThatStopsAcknowledgingIsDroppedAfterItsRetries() async throws {
            // 200 ms between sends, 2 resends: the transfer must end within about 0.6 s.
            let server = try Server(config: ["retransmitMilliseconds: 200", "retries: 2"])
            defer { server.stop() }
            let socket = try SilentClient()
            defer { socket.close() }
            try socket.sendReadRequest("exact512", port: server.port)
            let received = socket.receiveAll(for: .seconds(2))
            let blockOnes = received.filter { $0.starts(with: [0, 3, 0, 1]) }
            #expect(blockOnes.count == 3, "block 1 sent once and resent twice, got \(received.count) packets")
            var ended = false
            for _ in 0..<50 where !ended {
                let metrics = try server.metrics()
                ended = metrics.contains("tc_tftpd_transfers_total{outcome=\"timeout\"} 1") && metrics.contains("tc_tftpd_active_transfers 0.0")
                if !ended { try await Task.sleep(for: .milliseconds(100)) }
            }
            let finalMetrics = try server.metrics()
            #expect(ended, "the transfer was not cleaned up: \(finalMetrics)")
        }
    }
}

enum TFTPClients {
    static var installed: Bool {
        ["/usr/bin/tftp", "/usr/bin/atftp", "/usr/bin/curl", "/usr/bin/busybox"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A UDP socket that asks for a file and never acknowledges anything.
private final class SilentClient {
    private let descriptor: Int32

    init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw ToolError("socket failed") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func sendReadRequest(_ name: String, port: Int, options: KeyValuePairs<String, String> = [:]) throws {
        var packet: [UInt8] = [0, 1] + Array(name.utf8) + [0] + Array("octet".utf8) + [0]
        for (key, value) in options { packet += Array(key.utf8) + [0] + Array(value.utf8) + [0] }
        try send(packet, port: port)
    }

    func send(_ packet: [UInt8], port: Int) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard sent == packet.count else { throw ToolError("sendto failed") }
    }

    /// One datagram and the port it came from, waiting at most 2 s.
    func receive() -> ([UInt8], Int)? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            let count = withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &buffer, buffer.count, 0, $0, &length) }
            }
            if count > 0 { return (Array(buffer[0..<count]), Int(UInt16(bigEndian: from.sin_port))) }
        }
        return nil
    }

    /// Every datagram that arrives within `duration` (bounded: at most 1,000).
    func receiveAll(for duration: Duration) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        let deadline = ContinuousClock.now + duration
        var buffer = [UInt8](repeating: 0, count: 2048)
        while ContinuousClock.now < deadline, packets.count < 1000 {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { packets.append(Array(buffer[0..<count])) }
        }
        return packets
    }

    func close() { _ = Glibc.close(descriptor) }
}
