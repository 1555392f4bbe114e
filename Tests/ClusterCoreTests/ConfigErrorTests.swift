import ClusterCore
import Testing

@Suite("Configuration errors name the file, the line and the key")
struct ConfigErrorTests {
    @Test func aValueOfTheWrongTypeNamesKeyLineExpectationAndFinding() {
        let yaml = """
        # ThinCluster node
        node:
          name: n1

        protocol:
          idleTimeoutSeconds: 30
          maxLineLength: abc
        """

        let error = ConfigFixtures.error(parsing: yaml)

        #expect(error == .invalidValue(
            file: "node.yaml", line: 7, keyPath: "protocol.maxLineLength",
            expected: "an integer in 256...1048576", found: "\"abc\""
        ))
        #expect(error?.description == #"node.yaml:7: protocol.maxLineLength: expected an integer in 256...1048576, found "abc""#)
    }

    @Test(arguments: [
        ("protocol:\n  maxLineLength: 100", 2, "protocol.maxLineLength", "an integer in 256...1048576", "100"),
        ("protocol:\n  maxLineLength: 1048577", 2, "protocol.maxLineLength", "an integer in 256...1048576", "1048577"),
        ("protocol:\n  idleTimeoutSeconds: 0", 2, "protocol.idleTimeoutSeconds", "an integer in 1...3600", "0"),
        ("protocol:\n  adminClockSkewSeconds: 601", 2, "protocol.adminClockSkewSeconds", "an integer in 1...600", "601"),
        ("directory:\n  busyTimeoutMilliseconds: -1", 2, "directory.busyTimeoutMilliseconds", "an integer in 0...600000", "-1"),
        ("directory:\n\n  path: state.sqlite", 3, "directory.path", "an absolute path", "\"state.sqlite\""),
        ("node:\n  stateDirectory: ~/tc", 2, "node.stateDirectory", "an absolute path", "\"~/tc\""),
        ("node:\n  clusterKeyFile: key", 2, "node.clusterKeyFile", "an absolute path", "\"key\""),
    ])
    func anOutOfRangeOrMalformedValueNamesKeyAndLine(yaml: String, line: Int, keyPath: String, expected: String, found: String) {
        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: line, keyPath: keyPath, expected: expected, found: found
        ))
    }

    @Test(arguments: [
        ("protocol:\n  idleTimeoutSeconds: [1, 2]", 2, "a list"),
        ("protocol:\n  idleTimeoutSeconds:\n    - 1\n    - 2", 2, "a list"),
        ("protocol:\n  idleTimeoutSeconds: {seconds: 3}", 2, "a mapping"),
        ("protocol:\n  idleTimeoutSeconds: \"30\"", 2, "\"30\""),
        ("protocol:\n  idleTimeoutSeconds: 2.5", 2, "2.5"),
        ("protocol:\n  idleTimeoutSeconds: true", 2, "true"),
    ])
    func aNonIntegerForAnIntegerKeyIsATypeError(yaml: String, line: Int, found: String) {
        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: line, keyPath: "protocol.idleTimeoutSeconds",
            expected: "an integer in 1...3600", found: found
        ))
    }

    @Test func aListOrMappingForAStringKeyIsATypeError() {
        #expect(ConfigFixtures.error(parsing: "node:\n  name: [a, b]")?.description.hasPrefix(
            "node.yaml:2: node.name: expected a lowercase host name"
        ) == true)
        #expect(ConfigFixtures.error(parsing: "node:\n  stateDirectory:\n    at: /srv") == .invalidValue(
            file: "node.yaml", line: 2, keyPath: "node.stateDirectory", expected: "an absolute path", found: "a mapping"
        ))
    }

    @Test func aSectionThatIsNotAMappingIsRefused() {
        #expect(ConfigFixtures.error(parsing: "node:\n  name: n1\nprotocol: 5\n") == .invalidValue(
            file: "node.yaml", line: 3, keyPath: "protocol",
            expected: "a mapping with the keys maxLineLength, idleTimeoutSeconds, adminClockSkewSeconds", found: "5"
        ))
    }

    @Test(arguments: ["Session-1", "node_1", "-node", "a..b", String(repeating: "a", count: 64)])
    func anInvalidNodeNameIsRefused(name: String) {
        let error = ConfigFixtures.error(parsing: "node:\n  name: \"\(name)\"")

        guard case let .invalidValue(_, line, keyPath, _, found) = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(keyPath == "node.name")
        #expect(found == "\"\(name)\"")
    }

    @Test func aMachineHostnameThatIsNoValidNodeNameFailsWithTheKeyNamed() throws {
        let machine = ConfigEnvironment(hostname: "My_Laptop", effectiveUserID: 1000, homeDirectory: "/home/ada", stateHome: nil)
        let directory = try ConfigTemporaryDirectory()
        defer { directory.remove() }

        let inFile = ConfigFixtures.error(parsing: "protocol:\n  maxLineLength: 4096", environment: machine)
        var noFile: ConfigError?
        do {
            _ = try NodeConfig.load(path: nil, environment: machine, defaultPath: directory.path + "/node.yaml")
        } catch {
            noFile = error
        }

        let expected = "a lowercase host name (letters, digits and '-' in dot-separated labels of 1 to 63 characters)"
        #expect(inFile == .invalidValue(file: "node.yaml", line: nil, keyPath: "node.name", expected: expected, found: "\"my_laptop\""))
        #expect(noFile == .invalidValue(file: nil, line: nil, keyPath: "node.name", expected: expected, found: "\"my_laptop\""))
        #expect(inFile?.description.contains("node.yaml: node.name is not set in the file") == true)
        #expect(noFile?.description.contains("set node.name explicitly") == true)
        // Setting the name explicitly is the way out.
        #expect(ConfigFixtures.error(parsing: "node:\n  name: laptop", environment: machine) == nil)
    }

    @Test func aBadLoadBalancerEntryIsReportedAtItsOwnLine() {
        let yaml = """
        cluster:
          loadBalancers:
            - lb1.example.org:4000
            - lb2.example.org:70000
        """

        let error = ConfigFixtures.error(parsing: yaml)

        #expect(error == .invalidValue(
            file: "node.yaml", line: 4, keyPath: "cluster.loadBalancers[1]",
            expected: "a \"host:port\" address with a port in 1...65535 (IPv6 as \"[address]:port\")",
            found: "\"lb2.example.org:70000\""
        ))
    }

    @Test(arguments: [
        ("cluster:\n  loadBalancers: lb1:4000", "cluster.loadBalancers", 2),
        ("cluster:\n  loadBalancers:\n    - {host: lb1, port: 4000}", "cluster.loadBalancers[0]", 3),
        ("cluster:\n  loadBalancers:\n    - 2001:db8::1:4000", "cluster.loadBalancers[0]", 3),
        ("cluster:\n  loadBalancers:\n    - lb1:4000\n    - lb2:4000\n    - lb1:4000", "cluster.loadBalancers[2]", 5),
    ])
    func malformedLoadBalancerListsAreRefused(yaml: String, keyPath: String, line: Int) {
        guard case let .invalidValue(_, foundLine, foundKeyPath, _, _) = ConfigFixtures.error(parsing: yaml) else {
            Issue.record("expected invalidValue for \(yaml)")
            return
        }
        #expect(foundKeyPath == keyPath)
        #expect(foundLine == line)
    }

    @Test func anUnknownKeyIsRefusedWithTheClosestKnownKey() {
        let error = ConfigFixtures.error(parsing: "protocol:\n  maxLineLength: 4096\n  idelTimeoutSeconds: 5\n")

        #expect(error == .unknownKey(
            file: "node.yaml", line: 3, keyPath: "protocol.idelTimeoutSeconds", suggestion: "idleTimeoutSeconds",
            knownKeys: ["maxLineLength", "idleTimeoutSeconds", "adminClockSkewSeconds"]
        ))
        #expect(error?.description == #"node.yaml:3: protocol.idelTimeoutSeconds: unknown key; did you mean "idleTimeoutSeconds"?"#)
    }

    @Test(arguments: [
        ("protocol:\n  maxLinelength: 4096", "protocol.maxLinelength", "maxLineLength"),
        ("protocl:\n  maxLineLength: 4096", "protocl", "protocol"),
        ("node:\n  statedir: /srv", "node.statedir", nil),
        ("cluster:\n  loadBalancer: []", "cluster.loadBalancer", "loadBalancers"),
    ] as [(String, String, String?)])
    func unknownKeysAreRefusedAtAnyLevel(yaml: String, keyPath: String, suggestion: String?) {
        guard case let .unknownKey(_, line, foundKeyPath, foundSuggestion, _) = ConfigFixtures.error(parsing: yaml) else {
            Issue.record("expected unknownKey for \(yaml)")
            return
        }
        #expect(foundKeyPath == keyPath)
        #expect(foundSuggestion == suggestion)
        #expect(line == (keyPath.contains(".") ? 2 : 1))
    }

    @Test func anUnknownKeyWithNoCloseMatchListsTheKnownKeys() {
        let error = ConfigFixtures.error(parsing: "node:\n  name: n1\ncolour: red\n")

        #expect(error?.description == "node.yaml:3: colour: unknown key; known keys here: node, directory, protocol, cluster, loadBalancer, health, login, dhcp, tftp")
    }

    @Test(arguments: [
        ("- node\n- protocol\n", "a list"),
        ("just some text\n", "\"just some text\""),
        ("42\n", "42"),
    ])
    func aTopLevelThatIsNotAMappingIsRefused(yaml: String, found: String) {
        let error = ConfigFixtures.error(parsing: yaml)

        #expect(error == .notAMapping(file: "node.yaml", line: 1, found: found))
        #expect(error?.description == "node.yaml:1: expected a mapping of sections (node, directory, protocol, cluster, loadBalancer, health, login, dhcp, tftp), found \(found)")
    }

    @Test func aYAMLSyntaxErrorReportsTheParsersLine() {
        let yaml = """
        protocol:
          maxLineLength: 4096
          idleTimeoutSeconds: "30
        cluster:
        """

        guard case let .syntax(file, line, _, problem) = ConfigFixtures.error(parsing: yaml) else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(file == "node.yaml")
        #expect(line == 3 || line == 4)
        #expect(!problem.isEmpty)
    }

    @Test func aBadIndentReportsItsLine() {
        let yaml = "protocol:\n  maxLineLength: 4096\n idleTimeoutSeconds: 30\n"

        let error = ConfigFixtures.error(parsing: yaml)

        guard case let .syntax(_, line, _, _) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 3)
        #expect(error?.description.hasPrefix("node.yaml:3: not valid YAML") == true)
    }

    @Test func aKeyGivenTwiceIsReportedAtTheRepeat() {
        let error = ConfigFixtures.error(parsing: "protocol:\n  maxLineLength: 4096\n  idleTimeoutSeconds: 5\n  maxLineLength: 8192\n")

        #expect(error == .duplicateKey(file: "node.yaml", line: 4, key: "maxLineLength", firstLine: 2))
        #expect(error?.description == #"node.yaml:4: "maxLineLength" is given more than once in the same mapping (first at line 2)"#)
    }

    @Test func aKeyThatIsAListIsRefused() {
        let error = ConfigFixtures.error(parsing: "node:\n  name: n1\n? [a, b]\n: c\n")

        #expect(error == .keyNotAName(file: "node.yaml", line: 3, found: "a list"))
    }

    @Test func aBadValueBroughtInByAMergeKeyIsReportedAtItsOwnLine() {
        let yaml = """
        protocol:
          <<: {idleTimeoutSeconds: 10,
               maxLineLength: 100}
        """

        let error = ConfigFixtures.error(parsing: yaml)

        #expect(error == .invalidValue(
            file: "node.yaml", line: 3, keyPath: "protocol.maxLineLength", expected: "an integer in 256...1048576", found: "100"
        ))
    }

    @Test func aControlCharacterIsASyntaxErrorAtItsPosition() {
        let error = ConfigFixtures.error(parsing: "node:\r\n  name: \"a\u{7}b\"\r\n")

        guard case let .syntax(_, line, column, _) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
        #expect(column == 11)
    }
}

/// The `dhcp` section refuses what tc-dhcpd could not use, naming the key.
struct DHCPConfigErrorTests {
    private func error(_ yaml: String) -> String? {
        do {
            _ = try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: ConfigFixtures.user)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("dhcp:\n  relaySubnets: [\"10.1.0.5/24\"]\n", "node.yaml:2: dhcp.relaySubnets[0]"),
        ("dhcp:\n  loadBalancerOption: 130\n", "node.yaml:2: dhcp.loadBalancerOption"),
        ("dhcp:\n  interfaces: [\"eth0/1\"]\n", "node.yaml:2: dhcp.interfaces[0]"),
        ("dhcp:\n  unknownClients: answer\n", "node.yaml:2: dhcp.unknownClients"),
        ("dhcp:\n  leaseSeconds: 30\n", "node.yaml:2: dhcp.leaseSeconds"),
        ("dhcp:\n  leaseSeconds: 600\n  renewalSeconds: 600\n", "node.yaml:3: dhcp.renewalSeconds"),
        ("dhcp:\n  routers: [10.0.0.256]\n", "node.yaml:2: dhcp.routers[0]"),
        ("dhcp:\n  rootPath: /srv/ltsp\n", "node.yaml:2: dhcp.rootPath"),
    ])
    func badValuesAreRefusedNamingTheKey(yaml: String, prefix: String) {
        let message = error(yaml)
        #expect(message?.hasPrefix(prefix) == true, "\(message ?? "accepted")")
    }

    @Test func goodValuesAreRead() throws {
        let config = try NodeConfig.parse(yaml: """
            dhcp:
              interfaces: [eth1, eth2]
              relaySubnets: ["10.20.0.0/24"]
              leaseSeconds: 600
              renewalSeconds: 100
              rebindingSeconds: 500
              unknownClients: log
            """, source: "node.yaml", environment: ConfigFixtures.user)
        #expect(config.dhcp.interfaces == ["eth1", "eth2"])
        #expect(config.dhcp.relaySubnets == ["10.20.0.0/24"])
        #expect(config.dhcp.rebindingSeconds == 500)
        #expect(config.dhcp.unknownClients == "log")
    }
}
