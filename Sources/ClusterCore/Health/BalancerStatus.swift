/// What a load balancer reports to `STATUS`: its directory replica, its peers and its view of
/// every server. tcctl status compares these across load balancers.
public struct BalancerStatus: Codable, Equatable, Sendable {
    public struct Peer: Codable, Equatable, Sendable {
        public var endpoint: String
        /// Whether the last exchange with this peer succeeded.
        public var reachable: Bool
        /// Milliseconds since the last successful exchange; nil if none yet.
        public var lastSuccessAgoMilliseconds: Int64?
        public var lastError: String?

        public init(endpoint: String, reachable: Bool, lastSuccessAgoMilliseconds: Int64?, lastError: String?) {
            self.endpoint = endpoint
            self.reachable = reachable
            self.lastSuccessAgoMilliseconds = lastSuccessAgoMilliseconds
            self.lastError = lastError
        }
    }

    public struct ServerView: Codable, Equatable, Sendable {
        public var name: String
        public var address: String
        public var roles: [ServerRole]
        /// The state in the directory.
        public var state: ServerState
        public var alive: Bool
        /// Polls failed in a row; 0 while alive.
        public var failures: Int
        public var lastError: String?
        /// The latest report, when the server has answered at least once.
        public var report: LoadReport?
        /// The score new sessions are placed by (lower is better); nil when not selectable.
        public var score: Double?
        /// Sessions assigned within the recent-assignment window.
        public var recentAssignments: Int

        public init(name: String, address: String, roles: [ServerRole], state: ServerState, alive: Bool, failures: Int,
                    lastError: String?, report: LoadReport?, score: Double?, recentAssignments: Int) {
            self.name = name
            self.address = address
            self.roles = roles
            self.state = state
            self.alive = alive
            self.failures = failures
            self.lastError = lastError
            self.report = report
            self.score = score
            self.recentAssignments = recentAssignments
        }
    }

    public var node: String
    public var version: String
    public var directory: DirectoryRevision
    public var peers: [Peer]
    public var servers: [ServerView]
    /// Decisions since start, by outcome (`assigned`, `reconnected`, `unknown-user`, ...).
    public var decisions: [String: Int]

    public init(node: String, version: String, directory: DirectoryRevision, peers: [Peer], servers: [ServerView],
                decisions: [String: Int]) {
        self.node = node
        self.version = version
        self.directory = directory
        self.peers = peers
        self.servers = servers
        self.decisions = decisions
    }
}
