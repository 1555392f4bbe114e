import ClusterCore
import Foundation
import Testing

@Suite("Loading node.yaml: files, defaults and overrides")
struct ConfigLoadingTests {
    @Test func noPathAndNoFileAtTheDefaultPathGivesAllDefaults() throws {
        let directory = try ConfigTemporaryDirectory()
        defer { directory.remove() }

        let config = try NodeConfig.load(path: nil, environment: ConfigFixtures.user, defaultPath: directory.path + "/node.yaml")

        #expect(config == NodeConfig(environment: ConfigFixtures.user))
        #expect(config.node.name == "session-07.example.org")
        #expect(config.node.stateDirectory == "/home/ada/.local/state/thincluster")
        #expect(config.node.clusterKeyFile == "/home/ada/.local/state/thincluster/cluster.key")
        #expect(config.directory.path == "/home/ada/.local/state/thincluster/directory.sqlite")
        #expect(config.directory.busyTimeoutMilliseconds == 5000)
        #expect(config.protocol == ProtocolSection(maxLineLength: 8192, idleTimeoutSeconds: 30, adminClockSkewSeconds: 30))
        #expect(config.cluster.loadBalancers.isEmpty)
    }

    @Test func noPathReadsTheFileAtTheDefaultPathWhenItExists() throws {
        let directory = try ConfigTemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("node.yaml", "protocol:\n  idleTimeoutSeconds: 90\n")

        let config = try NodeConfig.load(path: nil, environment: ConfigFixtures.user, defaultPath: file)

        #expect(config.protocol.idleTimeoutSeconds == 90)
    }

    @Test func anExplicitPathThatDoesNotExistIsAnError() throws {
        let directory = try ConfigTemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.path + "/typo.yaml"

        #expect(throws: ConfigError.fileNotFound(path: missing)) {
            try NodeConfig.load(path: missing, environment: ConfigFixtures.user)
        }
        #expect(ConfigError.fileNotFound(path: missing).description == "\(missing): no such configuration file")
    }

    @Test func aDirectoryAsThePathIsUnreadable() throws {
        let directory = try ConfigTemporaryDirectory()
        defer { directory.remove() }

        #expect(throws: ConfigError.unreadable(path: directory.path, reason: "it is a directory")) {
            try NodeConfig.load(path: directory.path, environment: ConfigFixtures.user)
        }
    }

    @Test(arguments: ["", "\n\n", "# only comments\n# here\n", "---\n", "~\n"])
    func anEmptyFileGivesAllDefaults(contents: String) throws {
        let directory = try ConfigTemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("node.yaml", contents)

        let config = try NodeConfig.load(path: file, environment: ConfigFixtures.user)

        #expect(config == NodeConfig(environment: ConfigFixtures.user))
    }

    @Test func aPartialFileOverridesOnlyTheKeysItSets() throws {
        let yaml = """
        protocol:
          maxLineLength: 4096
        cluster:
          loadBalancers: [lb1.example.org:4000, "[2001:db8::10]:4000", 192.0.2.10:4000]
        """

        let config = try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: ConfigFixtures.user)

        var expected = NodeConfig(environment: ConfigFixtures.user)
        expected.protocol.maxLineLength = 4096
        expected.cluster.loadBalancers = [
            Endpoint(host: "lb1.example.org", port: 4000),
            Endpoint(host: "2001:db8::10", port: 4000),
            Endpoint(host: "192.0.2.10", port: 4000),
        ]
        #expect(config == expected)
    }

    @Test func aSectionWithNothingUnderItKeepsItsDefaults() throws {
        let config = try NodeConfig.parse(yaml: "node:\ndirectory:\ncluster:\n  loadBalancers:\n", source: "node.yaml", environment: ConfigFixtures.user)

        #expect(config == NodeConfig(environment: ConfigFixtures.user))
    }

    @Test func pathsDerivedFromTheStateDirectoryFollowAnOverriddenStateDirectory() throws {
        let yaml = "node:\n  stateDirectory: /srv/tc/\n"

        let config = try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: ConfigFixtures.user)

        #expect(config.node.stateDirectory == "/srv/tc/")
        #expect(config.node.clusterKeyFile == "/srv/tc/cluster.key")
        #expect(config.directory.path == "/srv/tc/directory.sqlite")
        #expect(config.node.pathInStateDirectory("leases") == "/srv/tc/leases")
    }

    @Test func derivedPathsThatAreSetExplicitlyAreKept() throws {
        let yaml = """
        node:
          stateDirectory: /srv/tc
          clusterKeyFile: /etc/thincluster/cluster.key
        directory:
          path: /var/cache/tc/directory.sqlite
        """

        let config = try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: ConfigFixtures.user)

        #expect(config.node.clusterKeyFile == "/etc/thincluster/cluster.key")
        #expect(config.directory.path == "/var/cache/tc/directory.sqlite")
    }

    @Test func theStateDirectoryDefaultDependsOnWhoRunsTheDaemon() {
        func stateDirectory(euid: UInt32, home: String?, stateHome: String?) -> String {
            let environment = ConfigEnvironment(hostname: "n1", effectiveUserID: euid, homeDirectory: home, stateHome: stateHome)
            return NodeConfig(environment: environment).node.stateDirectory
        }

        #expect(stateDirectory(euid: 0, home: "/root", stateHome: "/root/state") == "/var/lib/thincluster")
        #expect(stateDirectory(euid: 1000, home: "/home/ada", stateHome: "/home/ada/st") == "/home/ada/st/thincluster")
        #expect(stateDirectory(euid: 1000, home: "/home/ada", stateHome: nil) == "/home/ada/.local/state/thincluster")
        // XDG Base Directory: a relative XDG_STATE_HOME is invalid and ignored.
        #expect(stateDirectory(euid: 1000, home: "/home/ada", stateHome: "st") == "/home/ada/.local/state/thincluster")
        #expect(stateDirectory(euid: 1000, home: nil, stateHome: nil) == "/var/lib/thincluster")
    }

    /// The one test of the real process environment: whoever runs the suite, the defaults are
    /// concrete absolute paths and a lowercase name.
    @Test func theCurrentEnvironmentGivesConcreteDefaults() {
        let config = NodeConfig(environment: .current)

        #expect(config.node.name == config.node.name.lowercased())
        #expect(config.node.stateDirectory.hasPrefix("/"))
        #expect(config.directory.path == config.node.pathInStateDirectory("directory.sqlite"))
    }

    @Test func theRootDefaultsUseSystemPaths() throws {
        let config = try NodeConfig.parse(yaml: "", source: "node.yaml", environment: ConfigFixtures.root)

        #expect(config.node.name == "lb1")
        #expect(config.node.clusterKeyFile == "/var/lib/thincluster/cluster.key")
        #expect(config.directory.path == "/var/lib/thincluster/directory.sqlite")
    }

    /// JSON is a subset of YAML, so the encoder's output is a valid node.yaml: the encoded form
    /// of a configuration (as a `tcctl config show` would print it) loads back unchanged.
    @Test func anEncodedConfigurationLoadsBackUnchanged() throws {
        var config = NodeConfig(environment: ConfigFixtures.user)
        config.cluster.loadBalancers = [try Endpoint(parsing: "[fd00::1]:4000")]
        config.directory.busyTimeoutMilliseconds = 100
        config.loadBalancer.peers = [try Endpoint(parsing: "lb2.example.org:7702")]
        config.health.services = ["tc-lbd", "getty@tty1"]
        config.login.displayCommand = ["/usr/bin/xfreerdp", "/v:{server}"]

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        let yaml = String(decoding: try encoder.encode(config), as: UTF8.self)
        let decoded = try NodeConfig.parse(yaml: yaml, source: "encoded", environment: ConfigFixtures.root)

        #expect(decoded == config)
    }
}
