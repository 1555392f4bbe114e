import ClusterCore
import Testing

@testable import TCLogin

@Suite("Login settings: where the load balancers come from")
struct LoginSettingsTests {
    private let fileList = "10.0.0.9\n"
    private let configured = LoginSection(loadBalancers: [Endpoint(host: "10.0.0.5", port: 7700)], loadBalancersFile: "/run/lbs")

    private func resolve(
        _ options: LoginOptions = LoginOptions(),
        configuration: LoginSection = LoginSection(loadBalancersFile: "/run/lbs"),
        configurationFile: String? = "/etc/thincluster/node.yaml",
        file: String? = nil,
        hostname: String = "tc-07"
    ) throws(LoginSetupError) -> LoginSettings {
        try LoginSettings.resolve(
            options: options, configuration: configuration, configurationFile: configurationFile, hostname: hostname,
            readFile: { path in path == "/run/lbs" ? file : nil }
        )
    }

    @Test func theOptionComesFirst() throws {
        let settings = try resolve(LoginOptions(loadBalancers: "10.0.0.1:7000"), configuration: configured, file: fileList)
        #expect(settings.loadBalancers == LoadBalancerList(endpoints: [Endpoint(host: "10.0.0.1", port: 7000)], source: .option))
    }

    @Test func thenTheConfigurationAndTheFileIsNotRead() throws {
        let settings = try LoginSettings.resolve(
            options: LoginOptions(), configuration: configured, configurationFile: "/etc/thincluster/node.yaml", hostname: "tc-07",
            readFile: { path throws(LoginSetupError) in throw .unreadableLoadBalancerFile(path: path, reason: "must not be read") }
        )
        #expect(settings.loadBalancers.endpoints == [Endpoint(host: "10.0.0.5", port: 7700)])
        #expect(settings.loadBalancers.source == .configuration(path: "/etc/thincluster/node.yaml"))
    }

    @Test func thenTheFileWrittenAtBoot() throws {
        let settings = try resolve(file: fileList)
        #expect(settings.loadBalancers == LoadBalancerList(endpoints: [Endpoint(host: "10.0.0.9", port: 7700)], source: .file(path: "/run/lbs")))
    }

    @Test func withNoneAnywhereTheErrorSaysWhereItLooked() {
        #expect(throws: LoginSetupError.noLoadBalancers(lookedIn: [
            "no --lb option", "login.loadBalancers is empty in /etc/thincluster/node.yaml", "/run/lbs does not exist",
        ])) { try resolve() }
        #expect(throws: LoginSetupError.noLoadBalancers(lookedIn: [
            "no --lb option", "no configuration file at /etc/thincluster/node.yaml", "/run/lbs lists none",
        ])) { try resolve(configurationFile: nil, file: "# nothing yet\n") }
        #expect(LoginSetupError.noLoadBalancers(lookedIn: []).exitCode == 78)
    }

    @Test func theClientIDIsTheHostnameUnlessGiven() throws {
        #expect(try resolve(file: fileList).clientID == "tc-07")
        #expect(try resolve(LoginOptions(clientID: "52:54:00:12:34:56"), file: fileList).clientID == "52:54:00:12:34:56")
        #expect(try resolve(LoginOptions(clientID: ""), file: fileList).clientID == nil)
        #expect(try resolve(file: fileList, hostname: "").clientID == nil)
    }

    @Test func theDisplayCommandOptionReplacesTheConfiguredList() throws {
        #expect(try resolve(file: fileList).displayCommand.words == ["X", "-query", "{server}", "-terminate"])
        let settings = try resolve(LoginOptions(displayCommand: "Xephyr :1 -query {server}"), file: fileList)
        #expect(settings.displayCommand.words == ["Xephyr", ":1", "-query", "{server}"])
    }

    @Test func theTimeoutIsPerLoadBalancerFromTheConfiguration() throws {
        let settings = try resolve(configuration: LoginSection(loadBalancersFile: "/run/lbs", timeoutMilliseconds: 750), file: fileList)
        #expect(settings.timeout == .milliseconds(750))
    }
}
