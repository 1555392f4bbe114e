import Synchronization

/// Counts transfers in progress, in all and per client address, so that one client (or a
/// flood of spoofed requests) cannot take every port and file descriptor of the server.
final class TransferRegistry: Sendable {
    enum Refusal: String {
        case serverBusy = "server-busy"
        case clientBusy = "client-busy"
    }

    private struct State {
        var total = 0
        var perClient: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let maximum: Int
    let maximumPerClient: Int

    init(maximum: Int, maximumPerClient: Int) {
        self.maximum = maximum
        self.maximumPerClient = maximumPerClient
    }

    /// Takes a slot for `client`, or says which limit is reached.
    func reserve(_ client: String) -> Refusal? {
        state.withLock { state in
            guard state.total < maximum else { return .serverBusy }
            guard state.perClient[client, default: 0] < maximumPerClient else { return .clientBusy }
            state.total += 1
            state.perClient[client, default: 0] += 1
            return nil
        }
    }

    func release(_ client: String) {
        state.withLock { state in
            state.total -= 1
            let remaining = state.perClient[client, default: 1] - 1
            state.perClient[client] = remaining > 0 ? remaining : nil
        }
    }

    var active: Int { state.withLock { $0.total } }
}
