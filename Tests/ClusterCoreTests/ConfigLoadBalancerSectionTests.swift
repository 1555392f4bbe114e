import ClusterCore
import Testing

@Suite("The loadBalancer section")
struct ConfigLoadBalancerSectionTests {
    @Test func everyKeyHasItsDocumentedDefault() throws {
        let section = try ConfigFixtures.parse("").loadBalancer

        #expect(section == NodeConfig(environment: ConfigFixtures.user).loadBalancer)
        #expect(section.listen == Endpoint(host: "0.0.0.0", port: 7700))
        #expect(section.adminListen == Endpoint(host: "0.0.0.0", port: 7702))
        #expect(section.metricsListen == Endpoint(host: "127.0.0.1", port: 9702))
        #expect(section.peers.isEmpty)
        #expect(section.healthPort == 7701)
        #expect(section.adminPort == 7702)
        #expect(section.healthIntervalMilliseconds == 1000)
        #expect(section.healthTimeoutMilliseconds == 500)
        #expect(section.healthMaximumBackoffMilliseconds == 8000)
        #expect(section.antiEntropyIntervalMilliseconds == 5000)
        #expect(section.peerTimeoutMilliseconds == 2000)
        #expect(section.recentAssignmentWindowSeconds == 15)
        #expect(section.clientRequestsPerSecond == 20)
    }

    @Test func everyKeyCanBeOverridden() throws {
        let yaml = """
        loadBalancer:
          listen: 192.0.2.1:8700
          adminListen: "[2001:db8::1]:8702"
          metricsListen: 0.0.0.0:9100
          peers:
            - lb2.example.org:7702
            - 192.0.2.3:7702
          healthPort: 8701
          adminPort: 8702
          healthIntervalMilliseconds: 250
          healthTimeoutMilliseconds: 100
          healthMaximumBackoffMilliseconds: 30000
          antiEntropyIntervalMilliseconds: 60000
          peerTimeoutMilliseconds: 1500
          recentAssignmentWindowSeconds: 30
          clientRequestsPerSecond: 5
        """

        let config = try ConfigFixtures.parse(yaml)

        var expected = NodeConfig(environment: ConfigFixtures.user)
        expected.loadBalancer = LoadBalancerSection(
            listen: Endpoint(host: "192.0.2.1", port: 8700),
            adminListen: Endpoint(host: "2001:db8::1", port: 8702),
            metricsListen: Endpoint(host: "0.0.0.0", port: 9100),
            peers: [Endpoint(host: "lb2.example.org", port: 7702), Endpoint(host: "192.0.2.3", port: 7702)],
            healthPort: 8701,
            adminPort: 8702,
            healthIntervalMilliseconds: 250,
            healthTimeoutMilliseconds: 100,
            healthMaximumBackoffMilliseconds: 30000,
            antiEntropyIntervalMilliseconds: 60000,
            peerTimeoutMilliseconds: 1500,
            recentAssignmentWindowSeconds: 30,
            clientRequestsPerSecond: 5
        )
        #expect(config == expected)
    }

    @Test func aPartialSectionKeepsTheOtherDefaults() throws {
        let config = try ConfigFixtures.parse("loadBalancer:\n  healthIntervalMilliseconds: 2000\n")

        var expected = NodeConfig(environment: ConfigFixtures.user)
        expected.loadBalancer.healthIntervalMilliseconds = 2000
        #expect(config == expected)
    }

    @Test(arguments: [
        ("healthPort", 1, 65535),
        ("adminPort", 1, 65535),
        ("healthIntervalMilliseconds", 100, 60000),
        ("healthTimeoutMilliseconds", 50, 10000),
        ("healthMaximumBackoffMilliseconds", 100, 300_000),
        ("antiEntropyIntervalMilliseconds", 100, 600_000),
        ("peerTimeoutMilliseconds", 100, 60000),
        ("recentAssignmentWindowSeconds", 1, 600),
        ("clientRequestsPerSecond", 1, 100_000),
    ])
    func anIntegerKeyAcceptsItsBoundsAndRefusesBeyondThem(key: String, lower: Int, upper: Int) {
        let expected = "an integer in \(lower)...\(upper)"

        for accepted in [lower, upper] {
            #expect(ConfigFixtures.error(parsing: "loadBalancer:\n  \(key): \(accepted)\n") == nil)
        }
        for refused in [lower - 1, upper + 1] {
            #expect(ConfigFixtures.error(parsing: "# tc-lbd\nloadBalancer:\n\n  \(key): \(refused)\n") == .invalidValue(
                file: "node.yaml", line: 4, keyPath: "loadBalancer.\(key)", expected: expected, found: String(refused)
            ))
        }
    }

    @Test func anOutOfRangeIntervalNamesTheKeyAndLine() {
        let yaml = """
        loadBalancer:
          listen: 0.0.0.0:7700
          healthIntervalMilliseconds: 50
        """

        let error = ConfigFixtures.error(parsing: yaml)

        #expect(error == .invalidValue(
            file: "node.yaml", line: 3, keyPath: "loadBalancer.healthIntervalMilliseconds",
            expected: "an integer in 100...60000", found: "50"
        ))
        #expect(error?.description == "node.yaml:3: loadBalancer.healthIntervalMilliseconds: expected an integer in 100...60000, found 50")
    }

    @Test(arguments: [
        ("\"1000\"", "\"1000\""),
        ("1s", "\"1s\""),
        ("1.5", "1.5"),
        ("[1000]", "a list"),
    ])
    func aNonIntegerIntervalIsATypeError(value: String, found: String) {
        #expect(ConfigFixtures.error(parsing: "loadBalancer:\n  healthIntervalMilliseconds: \(value)\n") == .invalidValue(
            file: "node.yaml", line: 2, keyPath: "loadBalancer.healthIntervalMilliseconds",
            expected: "an integer in 100...60000", found: found
        ))
    }

    @Test(arguments: ["listen", "adminListen", "metricsListen"])
    func aListenAddressWithoutAPortNamesTheKeyAndLine(key: String) {
        let error = ConfigFixtures.error(parsing: "loadBalancer:\n  healthPort: 7701\n  \(key): lb1\n")

        #expect(error == .invalidValue(
            file: "node.yaml", line: 3, keyPath: "loadBalancer.\(key)", expected: ConfigFixtures.expectedEndpoint, found: "\"lb1\""
        ))
    }

    @Test(arguments: [
        ("loadBalancer:\n  listen: lb1:0", "loadBalancer.listen", 2),
        ("loadBalancer:\n  adminListen: 2001:db8::1:7702", "loadBalancer.adminListen", 2),
        ("loadBalancer:\n  metricsListen: [127.0.0.1:9702]", "loadBalancer.metricsListen", 2),
        ("loadBalancer:\n  peers: lb2:7702", "loadBalancer.peers", 2),
        ("loadBalancer:\n  peers:\n    - lb2:7702\n    - lb3", "loadBalancer.peers[1]", 4),
        ("loadBalancer:\n  peers:\n    - lb2:7702\n    - lb3:7702\n    - lb2:7702", "loadBalancer.peers[2]", 5),
    ])
    func malformedAddressesAreRefusedAtTheirLine(yaml: String, keyPath: String, line: Int) {
        guard case let .invalidValue(_, foundLine, foundKeyPath, _, _) = ConfigFixtures.error(parsing: yaml) else {
            Issue.record("expected invalidValue for \(yaml)")
            return
        }
        #expect(foundKeyPath == keyPath)
        #expect(foundLine == line)
    }

    @Test func aPeerWithoutAPortIsReportedAtItsOwnLine() {
        let yaml = """
        loadBalancer:
          peers:
            - lb2.example.org:7702
            - lb3
        """

        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: 4, keyPath: "loadBalancer.peers[1]", expected: ConfigFixtures.expectedEndpoint, found: "\"lb3\""
        ))
    }

    @Test(arguments: [
        ("loadBalancer:\n  healthIntervalMillisecond: 1000", "loadBalancer.healthIntervalMillisecond", "healthIntervalMilliseconds"),
        ("loadBalancer:\n  adminlisten: 0.0.0.0:7702", "loadBalancer.adminlisten", "adminListen"),
        ("loadbalancer:\n  healthPort: 7701", "loadbalancer", "loadBalancer"),
    ] as [(String, String, String?)])
    func aMistypedKeySuggestsTheRightOne(yaml: String, keyPath: String, suggestion: String?) {
        guard case let .unknownKey(_, line, foundKeyPath, foundSuggestion, _) = ConfigFixtures.error(parsing: yaml) else {
            Issue.record("expected unknownKey for \(yaml)")
            return
        }
        #expect(foundKeyPath == keyPath)
        #expect(foundSuggestion == suggestion)
        #expect(line == (keyPath.contains(".") ? 2 : 1))
    }
}
