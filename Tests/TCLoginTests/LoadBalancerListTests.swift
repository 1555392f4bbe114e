import ClusterCore
import Testing

@testable import TCLogin

@Suite("Load-balancer list: the boot file and --lb")
struct LoadBalancerListTests {
    @Test func theFileSkipsCommentsAndBlankLinesAndGivesBareHostsPort7700() throws {
        let text = """
            # written by /etc/dhcp/dhclient-exit-hooks.d/thincluster
            10.0.0.2
              lb2.school.example:7701   # the backup\r

            [fd00::3]
            [fd00::4]:7702
            10.0.0.2
            """
        let endpoints = try LoadBalancerList.parseFile(text, path: "/run/thincluster/load-balancers")
        #expect(endpoints == [
            Endpoint(host: "10.0.0.2", port: 7700),
            Endpoint(host: "lb2.school.example", port: 7701),
            Endpoint(host: "fd00::3", port: 7700),
            Endpoint(host: "fd00::4", port: 7702),
        ])
    }

    @Test func aFileOfOnlyCommentsListsNone() throws {
        #expect(try LoadBalancerList.parseFile("# none yet\n\n", path: "f").isEmpty)
        #expect(try LoadBalancerList.parseFile("", path: "f").isEmpty)
    }

    @Test func aBadLineFailsTheFileNamingTheLineAndTheEntry() {
        let text = "10.0.0.2\n# fine\nlb 2\n10.0.0.3\n"
        #expect(throws: LoginSetupError.badLoadBalancerLine(
            path: "/run/thincluster/load-balancers", line: 3,
            reason: LoadBalancerList.reason("lb 2", .invalidCharacter("lb 2:7700"))
        )) {
            try LoadBalancerList.parseFile(text, path: "/run/thincluster/load-balancers")
        }
        let error = LoginSetupError.badLoadBalancerLine(
            path: "/run/thincluster/load-balancers", line: 3,
            reason: LoadBalancerList.reason("lb 2", .invalidCharacter("lb 2:7700"))
        )
        #expect(error.description.hasPrefix("/run/thincluster/load-balancers:3: \"lb 2\" is not a load balancer address"))
        #expect(error.exitCode == 78)
    }

    @Test(arguments: [
        ("fd00::1", "write an IPv6 address in brackets"),
        ("10.0.0.2:0", "the port must be 1-65535"),
        ("10.0.0.2:http", "the port must be 1-65535"),
        ("10.0.0.300", "the host must be an IPv4 or IPv6 address or a DNS name"),
        ("-lb", "the host must be an IPv4 or IPv6 address or a DNS name"),
    ])
    func entriesThatAreNotAddressesSayWhy(entry: String, why: String) throws {
        do {
            _ = try LoadBalancerList.parseFile(entry, path: "f")
            Issue.record("\(entry) was accepted")
        } catch {
            #expect(error.description.contains("f:1: \"\(entry)\" is not a load balancer address: \(why)"))
        }
    }

    @Test func theOptionTakesCommaSeparatedEntriesInOrder() throws {
        let endpoints = try LoadBalancerList.parseOption("10.0.0.3:7000, 10.0.0.2 ,[fd00::1]")
        #expect(endpoints == [
            Endpoint(host: "10.0.0.3", port: 7000), Endpoint(host: "10.0.0.2", port: 7700), Endpoint(host: "fd00::1", port: 7700),
        ])
    }

    @Test func aBadOptionEntryIsAUsageError() {
        do {
            _ = try LoadBalancerList.parseOption("10.0.0.2,,10.0.0.3")
            Issue.record("an empty entry was accepted")
        } catch {
            #expect(error.description == "--lb: \"\" is not a load balancer address: it is empty; expected host, host:port, [ipv6-address] or [ipv6-address]:port")
            #expect(error.exitCode == 64)
        }
    }
}
