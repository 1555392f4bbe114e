import ClusterCore
import Testing

@Suite("The login section")
struct ConfigLoginSectionTests {
    static let expectedCommandLine = "a list: the program, then its arguments, one of which contains {server}"

    @Test func everyKeyHasItsDocumentedDefault() throws {
        let section = try ConfigFixtures.parse("").login

        #expect(section == NodeConfig(environment: ConfigFixtures.user).login)
        #expect(section.loadBalancers.isEmpty)
        #expect(section.loadBalancersFile == "/run/thincluster/load-balancers")
        #expect(section.timeoutMilliseconds == 2000)
        #expect(section.displayCommand == ["X", "-query", "{server}", "-terminate"])
    }

    @Test func everyKeyCanBeOverridden() throws {
        let yaml = """
        login:
          loadBalancers:
            - lb1.example.org:7700
            - "[2001:db8::10]:7700"
          loadBalancersFile: /etc/thincluster/load-balancers
          timeoutMilliseconds: 500
          displayCommand:
            - /usr/bin/xfreerdp
            - "/v:{server}"
            - /f
        """

        let config = try ConfigFixtures.parse(yaml)

        var expected = NodeConfig(environment: ConfigFixtures.user)
        expected.login = LoginSection(
            loadBalancers: [Endpoint(host: "lb1.example.org", port: 7700), Endpoint(host: "2001:db8::10", port: 7700)],
            loadBalancersFile: "/etc/thincluster/load-balancers",
            timeoutMilliseconds: 500,
            displayCommand: ["/usr/bin/xfreerdp", "/v:{server}", "/f"]
        )
        #expect(config == expected)
    }

    @Test func aDisplayCommandWithoutServerNamesTheKeyAndLine() {
        let yaml = """
        login:
          timeoutMilliseconds: 2000
          displayCommand: [X, -query, lb1, -terminate]
        """

        let error = ConfigFixtures.error(parsing: yaml)

        #expect(error == .invalidValue(
            file: "node.yaml", line: 3, keyPath: "login.displayCommand",
            expected: Self.expectedCommandLine, found: #"["X", "-query", "lb1", "-terminate"]"#
        ))
        #expect(error?.description == #"node.yaml:3: login.displayCommand: expected a list: the program, then its arguments, one of which contains {server}, found ["X", "-query", "lb1", "-terminate"]"#)
    }

    @Test(arguments: [
        ("login:\n  displayCommand: []", 2, "[]"),
        ("login:\n  displayCommand: [\"\", \"{server}\"]", 2, #"["", "{server}"]"#),
        ("login:\n  displayCommand: X -query {server}", 2, "\"X -query {server}\""),
        ("login:\n  displayCommand: \"X -query {server}\"", 2, "\"X -query {server}\""),
        ("login:\n  displayCommand:\n    program: X", 2, "a mapping"),
        ("login:\n  displayCommand: [X, -query, {server}]", 2, "a list"),
    ])
    func aDisplayCommandThatIsNotAProgramAndArgumentsWithServerIsRefused(yaml: String, line: Int, found: String) {
        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: line, keyPath: "login.displayCommand", expected: Self.expectedCommandLine, found: found
        ))
    }

    @Test(arguments: [
        ("login:\n  loadBalancers: [lb1]", "login.loadBalancers[0]", 2, "\"lb1\""),
        ("login:\n  loadBalancers:\n    - lb1:7700\n    - lb2", "login.loadBalancers[1]", 4, "\"lb2\""),
        ("login:\n  loadBalancers:\n    - lb1:7700\n    - lb2:70000", "login.loadBalancers[1]", 4, "\"lb2:70000\""),
    ])
    func aLoadBalancerWithoutAValidPortIsRefusedAtItsLine(yaml: String, keyPath: String, line: Int, found: String) {
        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: line, keyPath: keyPath, expected: ConfigFixtures.expectedEndpoint, found: found
        ))
    }

    @Test func aLoadBalancerGivenTwiceIsRefusedAtTheRepeat() {
        let yaml = "login:\n  loadBalancers:\n    - lb1:7700\n    - lb2:7700\n    - lb1:7700\n"

        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: 5, keyPath: "login.loadBalancers[2]", expected: "each entry once", found: "\"lb1:7700\" again"
        ))
    }

    @Test(arguments: [
        ("login:\n  timeoutMilliseconds: 99", 2, "login.timeoutMilliseconds", "an integer in 100...60000", "99"),
        ("login:\n  timeoutMilliseconds: 60001", 2, "login.timeoutMilliseconds", "an integer in 100...60000", "60001"),
        ("login:\n  timeoutMilliseconds: \"2000\"", 2, "login.timeoutMilliseconds", "an integer in 100...60000", "\"2000\""),
        ("login:\n  loadBalancersFile: load-balancers", 2, "login.loadBalancersFile", "an absolute path", "\"load-balancers\""),
    ])
    func anOutOfRangeOrMalformedValueNamesKeyAndLine(yaml: String, line: Int, keyPath: String, expected: String, found: String) {
        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: line, keyPath: keyPath, expected: expected, found: found
        ))
    }

    @Test func theBoundsOfTheTimeoutAreAccepted() throws {
        #expect(try ConfigFixtures.parse("login:\n  timeoutMilliseconds: 100").login.timeoutMilliseconds == 100)
        #expect(try ConfigFixtures.parse("login:\n  timeoutMilliseconds: 60000").login.timeoutMilliseconds == 60000)
    }

    /// `cluster.loadBalancers` (tcctl, admin port) and `login.loadBalancers` (thin clients) are
    /// separate lists: setting one leaves the other at its default.
    @Test func theClusterAndLoginLoadBalancerListsAreIndependent() throws {
        let yaml = """
        cluster:
          loadBalancers: [lb1.example.org:7702]
        login:
          loadBalancers: [lb1.example.org:7700]
        """

        let config = try ConfigFixtures.parse(yaml)

        #expect(config.cluster.loadBalancers == [Endpoint(host: "lb1.example.org", port: 7702)])
        #expect(config.login.loadBalancers == [Endpoint(host: "lb1.example.org", port: 7700)])
        #expect(config.loadBalancer == LoadBalancerSection())
    }
}
