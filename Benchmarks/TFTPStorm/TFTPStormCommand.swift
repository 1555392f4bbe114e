import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// A boot storm from one process: N clients download the same file from a TFTP server at once,
/// each from its own port (and source address), every byte checked against the local copy of
/// the file. Prints figures and asserts nothing about time; exits 1 if any download failed.
/// scripts/bench-tftp runs it against each server in turn (docs/PERFORMANCE.md).
@main
struct TFTPStormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-bench-tftp-storm",
        abstract: "Download one file from a TFTP server with many concurrent clients and report the time."
    )

    @Option(help: "The server's IPv4 address.")
    var server = "127.0.0.1"

    @Option(help: "The server's TFTP port.")
    var port: UInt16 = 69

    @Option(help: "The file to ask for, as the server names it.")
    var file: String

    @Option(help: "The local copy of that file: every download is compared with it.")
    var expect: String

    @Option(help: "Concurrent downloads (1...4000).")
    var clients = 200

    @Option(help: "The first source address; client i binds to it plus i modulo --sources (127.0.0.0/8 is all local).")
    var sourceBase = "127.1.0.1"

    @Option(help: "Distinct source addresses (default: one per client).")
    var sources: Int?

    @Option(help: "blksize to ask for; 0 sends no blksize option (512-byte blocks).")
    var blksize = 1468

    @Option(help: "windowsize to ask for (RFC 7440); 1 sends no windowsize option.")
    var windowsize = 1

    @Option(help: "Milliseconds of silence before the request or the last ACK is sent again.")
    var retransmitMilliseconds = 1000

    @Option(help: "Silent intervals before a download is given up.")
    var retries = 5

    @Option(help: "Seconds the whole storm may take; downloads unfinished then count as failed.")
    var timeoutSeconds = 300

    func validate() throws {
        guard (1...4000).contains(clients) else { throw ValidationError("--clients must be 1...4000") }
        guard (1...clients).contains(sources ?? clients) else { throw ValidationError("--sources must be 1...--clients") }
        guard blksize == 0 || (8...65464).contains(blksize) else { throw ValidationError("--blksize must be 0 or 8...65464") }
        guard (1...65535).contains(windowsize) else { throw ValidationError("--windowsize must be 1...65535") }
        guard (10...60_000).contains(retransmitMilliseconds) else { throw ValidationError("--retransmit-milliseconds must be 10...60000") }
        guard (0...100).contains(retries) else { throw ValidationError("--retries must be 0...100") }
        guard (1...86_400).contains(timeoutSeconds) else { throw ValidationError("--timeout-seconds must be 1...86400") }
        guard !file.isEmpty, !file.utf8.contains(0) else { throw ValidationError("--file must be a non-empty name") }
        _ = try address(server, "--server")
        _ = try address(sourceBase, "--source-base")
    }

    func run() throws {
        let expected = try readFile(expect)
        defer { expected.deallocate() }
        let settings = StormLoop.Settings(
            server: try address(server, "--server"), port: port, file: file, clients: clients,
            sourceBase: try address(sourceBase, "--source-base"), sources: sources ?? clients,
            blockSize: blksize == 0 ? nil : blksize, window: windowsize == 1 ? nil : windowsize, askSize: true,
            retransmitNanoseconds: UInt64(retransmitMilliseconds) * 1_000_000, retries: retries,
            totalNanoseconds: UInt64(timeoutSeconds) * 1_000_000_000
        )
        let outcome: StormLoop.Outcome
        do {
            outcome = try StormLoop(settings: settings, expected: UnsafeRawBufferPointer(expected)).run()
        } catch {
            throw ValidationError("cannot start the storm: \(error)")
        }
        report(outcome, fileSize: expected.count)
        if outcome.completed < clients { throw ExitCode(1) }
    }

    private func report(_ outcome: StormLoop.Outcome, fileSize: Int) {
        let rate = outcome.seconds > 0 ? Double(outcome.bytes) / outcome.seconds / 1e6 : 0
        func percentile(_ p: Double) -> String {
            guard !outcome.durations.isEmpty else { return "-" }
            let index = min(outcome.durations.count - 1, Int((Double(outcome.durations.count) * p).rounded(.up)) - 1)
            return format(outcome.durations[max(0, index)])
        }
        print("storm: \(clients) clients from \(sources ?? clients) addresses, \(fileSize) bytes each, blksize \(blksize == 0 ? "512 (none asked)" : String(blksize)), windowsize \(windowsize)")
        print("  completed \(outcome.completed), failed \(clients - outcome.completed), \(format(outcome.seconds)) s, \(format(rate)) MB/s in all")
        print("  per download: fastest \(percentile(0)) s, median \(percentile(0.5)) s, 90th \(percentile(0.9)) s, slowest \(percentile(1)) s")
        print("  requests resent \(outcome.resentRequests), ACKs resent after silence \(outcome.resentAcknowledgements), duplicate DATA \(outcome.duplicates)")
        for (reason, count) in outcome.failures.sorted(by: { $0.key < $1.key }) {
            print("  failed: \(count) × \(reason)")
        }
        // One line for scripts.
        print("result clients=\(clients) completed=\(outcome.completed) seconds=\(format(outcome.seconds)) bytes=\(outcome.bytes) duplicates=\(outcome.duplicates) resent=\(outcome.resentRequests + outcome.resentAcknowledgements)")
    }

    private func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private func address(_ text: String, _ option: String) throws -> in_addr {
        var result = in_addr()
        guard inet_pton(AF_INET, text, &result) == 1 else { throw ValidationError("\(option) must be an IPv4 address, not \(text)") }
        return result
    }

    /// The whole file in memory: downloads are compared with it block by block.
    private func readFile(_ path: String) throws -> UnsafeMutableRawBufferPointer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ValidationError("--expect \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { throw ValidationError("--expect \(path): not a regular file") }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, Int(status.st_size)), alignment: 16)
        var filled = 0
        while filled < Int(status.st_size) {
            let count = read(fd, buffer.baseAddress! + filled, Int(status.st_size) - filled)
            guard count > 0 else {
                buffer.deallocate()
                throw ValidationError("--expect \(path): read failed after \(filled) bytes")
            }
            filled += count
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[..<filled])
    }
}
