import ClusterTestSupport
import Foundation
import Testing

extension IntegrationSuite {
    /// tc-dhcpd on a LAN of network namespaces, answering the real DHCP clients thin clients
    /// run: busybox udhcpc and ISC dhclient.
    @Suite(.enabled(if: NetworkLab.isAvailable, "needs root and iproute2"))
    struct DHCPServerTests {
        @Test func realClientsGetExactlyTheirReservedAddressAndBootSettings() throws {
            let lab = try DHCPLab(servers: 1)
            defer { lab.destroy() }
            let binding = DHCPLab.bindings[0]

            // busybox udhcpc, asking for the root path, TFTP server, boot file and option 224.
            let small = try lab.addClient("udhcpc", mac: binding.mac)
            let (script, events) = try lab.udhcpcScript(for: small)
            let udhcpc = try small.host.run(["busybox", "udhcpc", "-i", small.host.interface, "-f", "-q", "-n", "-t", "4", "-T", "1",
                                             "-O", "rootpath", "-O", "tftp", "-O", "bootfile", "-O", "224", "-s", script])
            #expect(udhcpc.status == 0, "\(udhcpc.stderr)\n\(lab.logs)")
            let bound = try #require(DHCPLab.events(in: events).first { $0["event"] == "bound" }, "\(udhcpc.stderr)")
            #expect(bound["ip"] == binding.ip)
            #expect(bound["subnet"] == "255.255.255.0")
            #expect(bound["serverid"] == "10.213.0.1")
            #expect(bound["siaddr"] == "10.213.0.1")
            #expect(bound["tftp"] == "10.213.0.1")
            #expect(bound["boot_file"] == "ltsp/undionly.kpxe")
            #expect(bound["rootpath"] == "10.213.0.1:/srv/ltsp/x86_64")
            #expect(bound["hostname"] == binding.hostname)
            #expect(bound["opt224"] == "0ad50001", "option 224 carries the one load balancer, 10.213.0.1")
            // udhcpc did not ask for broadcast: the server wrote its MAC into the ARP table and
            // unicast the OFFER and ACK (RFC 2131 §4.1). The client never configured the
            // address here, so nothing else could have made that entry.
            let neighbour = try lab.servers[0].run(["ip", "neigh", "show", binding.ip])
            #expect(neighbour.stdout.contains(binding.mac), "no ARP entry for the unicast reply: \(neighbour.stdout)")

            // ISC dhclient, with option 224 declared the way docs/THIN-CLIENT.md says.
            let isc = try lab.addClient("dhclient", mac: DHCPLab.bindings[1].mac)
            let lease = try Self.runDHCLient(isc, lab: lab)
            #expect(lease.status == 0, "\(lease.stderr)\n\(lab.logs)")
            #expect(lease.variables["new_ip_address"] == DHCPLab.bindings[1].ip)
            #expect(lease.variables["new_next_server"] == "10.213.0.1")
            #expect(lease.variables["new_dhcp_server_identifier"] == "10.213.0.1")
            #expect(lease.variables["new_filename"] == "ltsp/undionly.kpxe")
            #expect(lease.variables["new_tftp_server_name"] == "10.213.0.1")
            #expect(lease.variables["new_root_path"] == "10.213.0.1:/srv/ltsp/x86_64")
            #expect(lease.variables["new_host_name"] == DHCPLab.bindings[1].hostname)
            #expect(lease.variables["new_thincluster_load_balancers"] == "10.213.0.1")
        }

        @Test func anUnknownMACGetsNothingAndIsLoggedForAdoption() throws {
            let lab = try DHCPLab(servers: 1, dhcp: ["unknownClients: log"])
            defer { lab.destroy() }
            let stranger = try lab.addClient("stranger", mac: DHCPLab.unknownMAC)
            let (script, events) = try lab.udhcpcScript(for: stranger)
            let udhcpc = try stranger.host.run(["busybox", "udhcpc", "-i", stranger.host.interface, "-f", "-q", "-n", "-t", "3", "-T", "1", "-s", script])
            #expect(udhcpc.status != 0, "udhcpc must fail to get a lease: \(udhcpc.stderr)")
            #expect(DHCPLab.events(in: events).allSatisfy { $0["event"] != "bound" })
            #expect(udhcpc.stderr.contains("broadcasting discover"), "the client did ask: \(udhcpc.stderr)")
            #expect(try lab.lab.addresses(of: stranger.host).isEmpty)
            // Once, though udhcpc asked three times: one line per MAC an hour.
            let lines = lab.logs.split(separator: "\n").filter { $0.contains("unknown thin client") && $0.contains(DHCPLab.unknownMAC) }
            #expect(lines.count == 1, "\(lab.logs)")
        }

        @Test(arguments: [2, 3])
        func aClientRebindsWithAnotherServerAfterItsServerIsKilled(servers: Int) async throws {
            // T1 2 s and T2 4 s, so renewing and rebinding happen within the test. ISC dhclient
            // follows T1 and T2 as the server sends them (busybox udhcpc renews at half the
            // lease whatever they say).
            let lab = try DHCPLab(servers: servers, dhcp: ["leaseSeconds: 60", "renewalSeconds: 2", "rebindingSeconds: 4"])
            defer { lab.destroy() }
            let binding = DHCPLab.bindings[2]
            let client = try lab.addClient("roamer", mac: binding.mac)
            let (dhclient, events) = try Self.startDHClient(client, lab: lab)
            defer { dhclient.stop() }

            let first = try await Self.waitForEvent(in: events, timeout: .seconds(20)) { $0["reason"] == "BOUND" }
            let firstServer = try #require(first?["new_dhcp_server_identifier"], "no lease: \(dhclient.log)\n\(lab.logs)")
            #expect(first?["new_ip_address"] == binding.ip)
            let index = try #require(Int(firstServer.split(separator: ".").last ?? ""))
            lab.daemons[index - 1].process.signal(SIGKILL)

            let rebound = try await Self.waitForEvent(in: events, timeout: .seconds(30)) {
                guard let server = $0["new_dhcp_server_identifier"] else { return false }
                return ["RENEW", "REBIND"].contains($0["reason"]) && server != firstServer
            }
            let reasons = DHCPLab.events(in: events).compactMap { $0["reason"] }
            #expect(rebound != nil, "no rebinding with another server (events \(reasons)): \(dhclient.log)\n\(lab.logs)")
            #expect(rebound?["new_ip_address"] == binding.ip, "the same address from another server")
            #expect(dhclient.log.contains("DHCPREQUEST for \(binding.ip) on \(client.host.interface) to \(firstServer)"),
                    "it tried its own server first (RENEWING): \(dhclient.log)")
        }

        /// ISC dhclient in the foreground, as a thin client runs it, with a hook that sets the
        /// address on the interface (unicast renewals need it) and appends each event's
        /// variables to `<client>.events`.
        static func startDHClient(_ client: DHCPLab.Client, lab: DHCPLab) throws -> (ChildProcess, URL) {
            let folder = lab.lab.folder
            let name = client.host.name
            let events = folder.appendingPathComponent("\(name).events")
            let hook = folder.appendingPathComponent("\(name).dhclient.sh")
            try """
                #!/bin/sh
                case "$reason" in
                  BOUND|RENEW|REBIND|REBOOT) ip -4 addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
                  EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
                esac
                { echo "reason=$reason"; env | grep -E '^new_' | sort; echo --; } >> '\(events.path)'
                """.write(to: hook, atomically: true, encoding: .utf8)
            chmod(hook.path, 0o755)
            let config = folder.appendingPathComponent("\(name).dhclient.conf")
            try "request subnet-mask, host-name, root-path;\n".write(to: config, atomically: true, encoding: .utf8)
            let process = try client.host.start("dhclient-\(name)", [
                "dhclient", "-4", "-d", "-v", "-cf", config.path, "-sf", hook.path,
                "-lf", folder.appendingPathComponent("\(name).leases").path,
                "-pf", folder.appendingPathComponent("\(name).pid").path, client.host.interface,
            ], logDirectory: folder)
            return (process, events)
        }

        @Test func aClientThatAsksForTheWrongAddressGetsANAKAndThenItsOwn() throws {
            let lab = try DHCPLab(servers: 2)
            defer { lab.destroy() }
            let binding = DHCPLab.bindings[0]
            let client = try lab.addClient("moved", mac: binding.mac)
            // A lease from another time: dhclient starts in INIT-REBOOT and asks for it.
            let leases = lab.lab.folder.appendingPathComponent("moved.leases")
            try """
                lease {
                  interface "\(client.host.interface)";
                  fixed-address 10.213.0.199;
                  option subnet-mask 255.255.255.0;
                  option dhcp-server-identifier 10.213.0.1;
                  renew 4 2037/01/01 00:00:00;
                  rebind 4 2037/01/01 00:00:00;
                  expire 4 2037/01/01 00:00:00;
                }

                """.write(to: leases, atomically: true, encoding: .utf8)
            let lease = try Self.runDHCLient(client, lab: lab, leases: leases)
            #expect(lease.status == 0, "\(lease.stderr)\n\(lab.logs)")
            #expect(lease.stderr.contains("DHCPREQUEST for 10.213.0.199"), "dhclient asked for its old address first: \(lease.stderr)")
            #expect(lease.stderr.contains("DHCPNAK from 10.213.0."), "\(lease.stderr)")
            #expect(lease.variables["new_ip_address"] == binding.ip)
        }

        /// Runs ISC dhclient once (`-1`) with a hook that records the BOUND variables; returns
        /// them with dhclient's log. dhclient leaves a daemon once bound, which is killed here.
        static func runDHCLient(_ client: DHCPLab.Client, lab: DHCPLab, leases: URL? = nil)
            throws -> (status: Int32, stderr: String, variables: [String: String]) {
            let folder = lab.lab.folder
            let name = client.host.name
            let bound = folder.appendingPathComponent("\(name).bound")
            let hook = folder.appendingPathComponent("\(name).dhclient.sh")
            try """
                #!/bin/sh
                [ "$reason" = BOUND ] || [ "$reason" = REBOOT ] || exit 0
                env | grep -E '^new_' | sort > '\(bound.path)'
                """.write(to: hook, atomically: true, encoding: .utf8)
            chmod(hook.path, 0o755)
            let config = folder.appendingPathComponent("\(name).dhclient.conf")
            try """
                option thincluster-load-balancers code 224 = array of ip-address;
                request subnet-mask, host-name, root-path, tftp-server-name, bootfile-name, thincluster-load-balancers;
                timeout 20;
                retry 1;

                """.write(to: config, atomically: true, encoding: .utf8)
            let leaseFile = leases ?? folder.appendingPathComponent("\(name).leases")
            let pidFile = folder.appendingPathComponent("\(name).pid")
            let result = try client.host.run(["dhclient", "-4", "-1", "-v", "-cf", config.path, "-sf", hook.path, "-lf", leaseFile.path,
                                              "-pf", pidFile.path, client.host.interface], timeout: .seconds(40))
            if let pid = Int32(((try? String(contentsOf: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
            }
            let text = (try? String(contentsOf: bound, encoding: .utf8)) ?? ""
            let variables = Dictionary(text.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                var value = String(line[line.index(after: equals)...])
                if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                return (String(line[..<equals]), value)
            }, uniquingKeysWith: { $1 })
            return (result.status, result.stderr, variables)
        }

        static func waitForEvent(in url: URL, timeout: Duration, where match: ([String: String]) -> Bool) async throws -> [String: String]? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let event = DHCPLab.events(in: url).first(where: match) { return event }
                try await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }
    }
}
