import ClusterCore
import Testing

@Suite("The health section")
struct ConfigHealthSectionTests {
    static let expectedServiceName = "a service name (letters, digits, '.', '_', '@' and '-', not starting with '-')"

    @Test func everyKeyHasItsDocumentedDefault() throws {
        let section = try ConfigFixtures.parse("").health

        #expect(section == NodeConfig(environment: ConfigFixtures.user).health)
        #expect(section.listen == Endpoint(host: "0.0.0.0", port: 7701))
        #expect(section.sampleIntervalMilliseconds == 1000)
        #expect(section.utmpPath == "/var/run/utmp")
        #expect(section.serviceCommand == "/bin/systemctl")
        #expect(section.services == ["tc-lbd"])
    }

    @Test func everyKeyCanBeOverridden() throws {
        let yaml = """
        health:
          listen: 10.0.0.5:8701
          sampleIntervalMilliseconds: 500
          utmpPath: /run/utmp
          serviceCommand: /usr/bin/systemctl
          services: [tc-lbd.service, getty@tty1, tc_dhcpd, x11-common]
        """

        let config = try ConfigFixtures.parse(yaml)

        var expected = NodeConfig(environment: ConfigFixtures.user)
        expected.health = HealthSection(
            listen: Endpoint(host: "10.0.0.5", port: 8701),
            sampleIntervalMilliseconds: 500,
            utmpPath: "/run/utmp",
            serviceCommand: "/usr/bin/systemctl",
            services: ["tc-lbd.service", "getty@tty1", "tc_dhcpd", "x11-common"]
        )
        #expect(config == expected)
    }

    @Test func anEmptyServiceListAllowsNoService() throws {
        #expect(try ConfigFixtures.parse("health:\n  services: []\n").health.services.isEmpty)
    }

    @Test(arguments: ["-rf", "a b", "", "../tc-lbd", "/usr/sbin/reboot", "tc-lbd;reboot", "tc-lbd\t", "dæmon",
                      String(repeating: "a", count: 129)])
    func aServiceNameThatIsNotOneSafeArgumentIsRefusedAtItsLine(name: String) {
        let yaml = """
        health:
          services:
            - tc-lbd
            - "\(name)"
        """

        let error = ConfigFixtures.error(parsing: yaml)

        guard case let .invalidValue(file, line, keyPath, expected, _) = error else {
            Issue.record("expected invalidValue for \(name), got \(String(describing: error))")
            return
        }
        #expect(file == "node.yaml")
        #expect(line == 4)
        #expect(keyPath == "health.services[1]")
        #expect(expected == Self.expectedServiceName)
    }

    @Test func anOptionAsAServiceNameIsShownAsWritten() {
        let error = ConfigFixtures.error(parsing: "health:\n  services:\n    - tc-lbd\n    - \"-rf\"\n")

        #expect(error == .invalidValue(
            file: "node.yaml", line: 4, keyPath: "health.services[1]", expected: Self.expectedServiceName, found: "\"-rf\""
        ))
        #expect(error?.description == #"node.yaml:4: health.services[1]: expected a service name (letters, digits, '.', '_', '@' and '-', not starting with '-'), found "-rf""#)
    }

    @Test func aServiceNameWithASpaceIsShownAsWritten() {
        #expect(ConfigFixtures.error(parsing: "health:\n  services: [tc-lbd, \"a b\"]\n") == .invalidValue(
            file: "node.yaml", line: 2, keyPath: "health.services[1]", expected: Self.expectedServiceName, found: "\"a b\""
        ))
    }

    @Test(arguments: [
        ("health:\n  services: tc-lbd", "health.services", 2, "a list, each entry \(expectedServiceName)"),
        ("health:\n  services:\n    - tc-lbd\n    - {name: x}", "health.services[1]", 4, expectedServiceName),
        ("health:\n  services:\n    - tc-lbd\n    - tc-lbd", "health.services[1]", 4, "each entry once"),
    ])
    func aMalformedServiceListIsRefused(yaml: String, keyPath: String, line: Int, expected: String) {
        guard case let .invalidValue(_, foundLine, foundKeyPath, foundExpected, _) = ConfigFixtures.error(parsing: yaml) else {
            Issue.record("expected invalidValue for \(yaml)")
            return
        }
        #expect(foundKeyPath == keyPath)
        #expect(foundLine == line)
        #expect(foundExpected == expected)
    }

    @Test(arguments: [
        ("health:\n  sampleIntervalMilliseconds: 99", 2, "health.sampleIntervalMilliseconds", "an integer in 100...60000", "99"),
        ("health:\n  sampleIntervalMilliseconds: 60001", 2, "health.sampleIntervalMilliseconds", "an integer in 100...60000", "60001"),
        ("health:\n  sampleIntervalMilliseconds: fast", 2, "health.sampleIntervalMilliseconds", "an integer in 100...60000", "\"fast\""),
        ("health:\n  utmpPath: var/run/utmp", 2, "health.utmpPath", "an absolute path", "\"var/run/utmp\""),
        ("health:\n\n  serviceCommand: systemctl", 3, "health.serviceCommand", "an absolute path", "\"systemctl\""),
        ("health:\n  serviceCommand: [/bin/systemctl, --user]", 2, "health.serviceCommand", "an absolute path", "a list"),
        ("health:\n  listen: lb1", 2, "health.listen", ConfigFixtures.expectedEndpoint, "\"lb1\""),
        ("health:\n  listen: 0.0.0.0:65536", 2, "health.listen", ConfigFixtures.expectedEndpoint, "\"0.0.0.0:65536\""),
    ])
    func anOutOfRangeOrMalformedValueNamesKeyAndLine(yaml: String, line: Int, keyPath: String, expected: String, found: String) {
        #expect(ConfigFixtures.error(parsing: yaml) == .invalidValue(
            file: "node.yaml", line: line, keyPath: keyPath, expected: expected, found: found
        ))
    }

    @Test func aMistypedKeySuggestsTheRightOne() {
        let error = ConfigFixtures.error(parsing: "health:\n  service: [tc-lbd]\n")

        #expect(error == .unknownKey(
            file: "node.yaml", line: 2, keyPath: "health.service", suggestion: "services",
            knownKeys: ["listen", "sampleIntervalMilliseconds", "utmpPath", "serviceCommand", "services"]
        ))
    }
}
