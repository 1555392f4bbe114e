import ClusterTestSupport
import Foundation
import Testing

extension IntegrationSuite {
    /// The network-namespace lab that the DHCP and TFTP tests build on.
    @Suite(.enabled(if: NetworkLab.isAvailable, "needs root and iproute2"))
    struct NetworkLabTests {
        @Test func destroyingALabRemovesEveryNamespaceItMade() throws {
            let lab = try NetworkLab()
            try lab.addHost("a", address: "10.213.1.1/24")
            try lab.addHost("b", address: "10.213.1.2/24")
            let ping = try lab.addHost("c", address: "10.213.1.3/24").run(["ping", "-c", "1", "-W", "2", "10.213.1.1"])
            #expect(ping.status == 0, "\(ping.stdout)")
            let id = lab.id
            lab.destroy()
            let remaining = try runTool("/usr/sbin/ip", ["netns", "list"]).stdout
            #expect(!remaining.contains(id))
        }
    }
}
