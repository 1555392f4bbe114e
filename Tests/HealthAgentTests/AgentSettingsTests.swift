import ClusterCore
import Testing

@testable import HealthAgent

/// How flags and the node configuration combine.
@Suite struct AgentSettingsTests {
    static let environment = ConfigEnvironment(hostname: "srv1", effectiveUserID: 1000, homeDirectory: "/home/admin", stateHome: nil)

    static func config(_ yaml: String = "") throws -> NodeConfig {
        try NodeConfig.parse(yaml: yaml, source: "node.yaml", environment: environment)
    }

    @Test func withoutFlagsTheConfigurationIsUsed() throws {
        let config = try Self.config("health:\n  listen: 10.0.0.1:7800\n  sampleIntervalMilliseconds: 250\n  utmpPath: /run/utmp\n")
        let settings = try AgentSettings(config: config, overrides: AgentSettings.Overrides())
        #expect(settings.node == "srv1")
        #expect(settings.listen == Endpoint(host: "10.0.0.1", port: 7800))
        #expect(settings.sampleInterval == .milliseconds(250))
        #expect(settings.paths.utmp == "/run/utmp")
        #expect(settings.keyFile == "/home/admin/.local/state/thincluster/cluster.key")
        #expect(settings.serviceCommand == "/bin/systemctl")
        #expect(settings.services == ["tc-lbd"])
        #expect(settings.simulation == nil)
    }

    @Test func flagsOverrideTheConfiguration() throws {
        var overrides = AgentSettings.Overrides()
        overrides.listen = "127.0.0.1:9000"
        overrides.name = "lab-2"
        overrides.utmp = "/tmp/utmp"
        overrides.serviceCommand = "/usr/local/bin/svc"
        let settings = try AgentSettings(config: Self.config(), overrides: overrides)
        #expect(settings.listen == Endpoint(host: "127.0.0.1", port: 9000))
        #expect(settings.node == "lab-2")
        #expect(settings.paths.utmp == "/tmp/utmp")
        #expect(settings.serviceCommand == "/usr/local/bin/svc")
    }

    @Test func aStateDirectoryFlagMovesADefaultKeyFileButNotAChosenOne() throws {
        var overrides = AgentSettings.Overrides()
        overrides.stateDirectory = "/srv/tc/"
        let moved = try AgentSettings(config: Self.config(), overrides: overrides)
        #expect(moved.stateDirectory == "/srv/tc/")
        #expect(moved.keyFile == "/srv/tc/cluster.key")

        let chosen = try AgentSettings(config: Self.config("node:\n  clusterKeyFile: /etc/tc.key\n"), overrides: overrides)
        #expect(chosen.keyFile == "/etc/tc.key")

        overrides.keyFile = "/root/k"
        #expect(try AgentSettings(config: Self.config(), overrides: overrides).keyFile == "/root/k")
    }

    @Test func simulationTakesItsFiguresFromTheFlags() throws {
        var overrides = AgentSettings.Overrides()
        overrides.simulate = true
        #expect(try AgentSettings(config: Self.config(), overrides: overrides).simulation == SimulatedLoad())
        overrides.simulateLoad = 0.4
        overrides.simulateUsers = "alice,bob"
        overrides.simulateCPUs = 2
        let settings = try AgentSettings(config: Self.config(), overrides: overrides)
        #expect(settings.simulation == SimulatedLoad(load1: 0.4, cpus: 2, users: ["alice", "bob"]))
    }

    @Test func simulationFlagsWithoutSimulateAreRefused() throws {
        var overrides = AgentSettings.Overrides()
        overrides.simulateUsers = "alice"
        #expect(throws: AgentSettingsError.needsSimulate(flag: "--simulate-users")) {
            try AgentSettings(config: Self.config(), overrides: overrides)
        }
    }

    @Test(arguments: [
        (AgentSettings.Overrides(listen: "nonsense"), "--listen"),
        (AgentSettings.Overrides(name: "Upper"), "--name"),
        (AgentSettings.Overrides(utmp: "relative/utmp"), "--utmp"),
        (AgentSettings.Overrides(stateDirectory: "state"), "--state-dir"),
        (AgentSettings.Overrides(serviceCommand: "systemctl"), "--service-command"),
        (AgentSettings.Overrides(simulate: true, simulateCPUs: 0), "cpus"),
        (AgentSettings.Overrides(simulate: true, simulateLoad: -1), "load1"),
        (AgentSettings.Overrides(simulate: true, simulateUsers: "ok,not ok"), "not ok"),
    ])
    func badFlagsAreRefusedWithAMessageNamingThem(overrides: AgentSettings.Overrides, named: String) throws {
        let config = try Self.config()
        #expect {
            try AgentSettings(config: config, overrides: overrides)
        } throws: { error in
            "\(error)".contains(named)
        }
    }
}
