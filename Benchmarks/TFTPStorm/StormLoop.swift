import CLinuxEvents
#if canImport(Glibc)
import Glibc
#endif

/// Drives every download of the storm from one thread: a non-blocking UDP socket per client
/// (its own port, and its own source address when several are given), one epoll set over all
/// of them, and a scan for silent transfers every tenth of a second. One process costs the
/// machine far less than hundreds of client processes would, so on the same machine the storm
/// measures the server rather than the clients. Every loop is bounded: by the retries per
/// transfer and by the whole storm's time limit.
struct StormLoop {
    struct Settings {
        var server: in_addr
        var port: UInt16
        var file: String
        var clients: Int
        /// The first source address; client i uses `sourceBase + i % sources`.
        var sourceBase: in_addr
        var sources: Int
        var blockSize: Int?
        var window: Int?
        var askSize: Bool
        var retransmitNanoseconds: UInt64
        var retries: Int
        var totalNanoseconds: UInt64
    }

    struct Outcome {
        var completed = 0
        var failures: [String: Int] = [:]
        var seconds = 0.0
        var bytes = 0
        var resentRequests = 0
        var resentAcknowledgements = 0
        var duplicates = 0
        var durations: [Double] = []
    }

    enum SetupError: Error, CustomStringConvertible {
        case system(String, Int32)
        var description: String {
            switch self {
            case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
            }
        }
    }

    private struct Client {
        var socket: Int32 = -1
        var download = StormDownload()
        var connected = false
        var lastHeard: UInt64 = 0
        var silentTimeouts = 0
        var started: UInt64 = 0
        var ended: UInt64 = 0
    }

    let settings: Settings
    let expected: UnsafeRawBufferPointer

    func run() throws(SetupError) -> Outcome {
        let poller = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard poller >= 0 else { throw .system("epoll_create1", errno) }
        defer { close(poller) }
        var clients = [Client](repeating: Client(), count: settings.clients)
        defer { for client in clients where client.socket >= 0 { close(client.socket) } }
        for index in clients.indices {
            clients[index].socket = try openSocket(index: index, poller: poller)
        }
        let request = requestPacket()
        var outcome = Outcome()
        let start = monotonicNanoseconds()
        for index in clients.indices {
            clients[index].started = monotonicNanoseconds()
            clients[index].lastHeard = clients[index].started
            sendRequest(request, on: clients[index].socket)
        }

        var unfinished = clients.count
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var datagram = [UInt8](repeating: 0, count: 65536)
        var lastScan = start
        while unfinished > 0 {
            let now = monotonicNanoseconds()
            if now - start >= settings.totalNanoseconds {
                for index in clients.indices where !clients[index].download.isFinished {
                    clients[index].download.giveUp("storm time limit reached")
                    clients[index].ended = now
                    unfinished -= 1
                }
                break
            }
            let ready = epoll_wait(poller, &events, Int32(events.count), 20)
            if ready < 0 && errno != EINTR { throw .system("epoll_wait", errno) }
            for event in events.prefix(max(0, Int(ready))) {
                let index = Int(event.data.u64)
                guard !clients[index].download.isFinished else { continue }
                drain(&clients[index], into: &datagram, outcome: &outcome)
                if clients[index].download.isFinished {
                    clients[index].ended = monotonicNanoseconds()
                    unfinished -= 1
                    close(clients[index].socket)
                    clients[index].socket = -1
                }
            }
            let scanTime = monotonicNanoseconds()
            if scanTime - lastScan >= 100_000_000 {
                lastScan = scanTime
                unfinished -= resendToSilent(&clients, request: request, now: scanTime, outcome: &outcome)
            }
        }
        outcome.seconds = Double(monotonicNanoseconds() - start) / 1e9
        for client in clients {
            outcome.bytes += client.download.receivedBytes
            outcome.duplicates += client.download.duplicates
            switch client.download.state {
            case .completed:
                outcome.completed += 1
                outcome.durations.append(Double(client.ended - client.started) / 1e9)
            case .failed(let reason):
                outcome.failures[reason, default: 0] += 1
            case .requesting, .receiving:
                outcome.failures["unfinished", default: 0] += 1
            }
        }
        outcome.durations.sort()
        return outcome
    }

    private func openSocket(index: Int, poller: Int32) throws(SetupError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", errno) }
        var source = sockaddr_in()
        source.sin_family = sa_family_t(AF_INET)
        source.sin_addr.s_addr = (UInt32(bigEndian: settings.sourceBase.s_addr) &+ UInt32(index % settings.sources)).bigEndian
        let bound = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .system("bind to source address \(index % settings.sources)", code)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = UInt64(index)
        guard epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event) == 0 else {
            let code = errno
            close(fd)
            throw .system("epoll_ctl", code)
        }
        return fd
    }

    /// RRQ as curl sends it: octet mode, the block size asked for, and tsize 0 to learn the size.
    private func requestPacket() -> [UInt8] {
        var packet: [UInt8] = [0, 1]
        func field(_ text: String) { packet += Array(text.utf8) + [0] }
        field(settings.file)
        field("octet")
        if let size = settings.blockSize { field("blksize"); field(String(size)) }
        if settings.askSize { field("tsize"); field("0") }
        if let window = settings.window { field("windowsize"); field(String(window)) }
        return packet
    }

    private func sendRequest(_ request: [UInt8], on fd: Int32) {
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = settings.port.bigEndian
        destination.sin_addr = settings.server
        _ = request.withUnsafeBytes { bytes in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Reads everything waiting on the client's socket. The first answer comes from the
    /// server's transfer port (RFC 1350 §4): the socket is then connected to it, so the kernel
    /// drops anything from elsewhere and each ACK is a plain send.
    private func drain(_ client: inout Client, into datagram: inout [UInt8], outcome: inout Outcome) {
        while !client.download.isFinished {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = datagram.withUnsafeMutableBytes { buffer in
                if client.connected { return recv(client.socket, buffer.baseAddress, buffer.count, 0) }
                return withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(client.socket, buffer.baseAddress, buffer.count, 0, $0, &length)
                    }
                }
            }
            guard count >= 0 else { return }
            if !client.connected {
                guard from.sin_addr.s_addr == settings.server.s_addr else { continue }
                _ = withUnsafePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client.socket, $0, length) }
                }
                client.connected = true
            }
            client.lastHeard = monotonicNanoseconds()
            client.silentTimeouts = 0
            let reply = datagram.withUnsafeBytes { client.download.receive(UnsafeRawBufferPointer(rebasing: $0[..<count]), expected: expected) }
            if case .acknowledge(let block) = reply { acknowledge(block, on: client.socket) }
        }
    }

    private func acknowledge(_ block: UInt16, on fd: Int32) {
        var packet: (UInt8, UInt8, UInt8, UInt8) = (0, 4, UInt8(block >> 8), UInt8(block & 0xFF))
        _ = withUnsafeBytes(of: &packet) { send(fd, $0.baseAddress, 4, 0) }
    }

    /// Resends the request or the last ACK of every transfer silent for the retransmit
    /// interval, and gives up on those silent for all their retries. Returns how many ended.
    private func resendToSilent(_ clients: inout [Client], request: [UInt8], now: UInt64, outcome: inout Outcome) -> Int {
        var ended = 0
        for index in clients.indices where !clients[index].download.isFinished {
            guard now - clients[index].lastHeard >= settings.retransmitNanoseconds else { continue }
            clients[index].lastHeard = now
            clients[index].silentTimeouts += 1
            guard clients[index].silentTimeouts <= settings.retries else {
                clients[index].download.giveUp(clients[index].download.state == .requesting ? "no answer to the request" : "server went silent")
                clients[index].ended = now
                close(clients[index].socket)
                clients[index].socket = -1
                ended += 1
                continue
            }
            if let block = clients[index].download.lastAcknowledgement, clients[index].connected {
                acknowledge(block, on: clients[index].socket)
                outcome.resentAcknowledgements += 1
            } else {
                sendRequest(request, on: clients[index].socket)
                outcome.resentRequests += 1
            }
        }
        return ended
    }
}

func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
