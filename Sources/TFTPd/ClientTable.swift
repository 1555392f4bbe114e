import ClusterCore

/// What templates may say about the client that asks: its directory entry, found by the
/// address it requests from (the one tc-dhcpd bound to its MAC), and the load balancers.
struct ClientTable: Sendable {
    struct Client: Sendable, Equatable {
        let mac: String
        let hostname: String
        let profile: String?
    }

    private let clients: [String: Client]
    let loadBalancers: [String]

    init(clients: [String: Client] = [:], loadBalancers: [String] = []) {
        self.clients = clients
        self.loadBalancers = loadBalancers
    }

    init(directory: Directory) throws(DirectoryError) {
        var clients: [String: Client] = [:]
        for host in try directory.bindings() {
            clients[host.ip] = Client(mac: host.mac.description, hostname: host.hostname, profile: host.profile)
        }
        let balancers = try directory.loadBalancerAddresses()
        self.init(clients: clients, loadBalancers: balancers)
    }

    func client(at address: String) -> Client? { clients[address] }
}
