import ClusterTestSupport
import Foundation
import Testing

extension IntegrationSuite {
    /// The network-namespace lab that the DHCP and TFTP tests build on, checked with established
    /// peers: dnsmasq serving static reservations to the real clients thin clients run
    /// (busybox udhcpc, ISC dhclient). The same setup is the peer in the DHCP benchmark.
    @Suite(.enabled(if: NetworkLab.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/sbin/dnsmasq"),
                    "needs root, iproute2 and dnsmasq"))
    struct NetworkLabTests {
        /// A client script for udhcpc and dhclient: records what the server offered and
        /// configures the address, as a thin client's initramfs does.
        static func clientScript(in folder: URL, recordingTo record: URL) throws -> String {
            let path = folder.appendingPathComponent("client-script.sh").path
            try """
                #!/bin/sh
                # udhcpc: $1 is the event, variables ip, siaddr, boot_file, rootpath, interface.
                # dhclient: $reason, new_ip_address, new_filename, new_root_path, interface.
                case "$1$reason" in
                  bound|renew|BOUND|REBOOT|RENEW)
                    address="${ip:-$new_ip_address}"
                    echo "address=$address boot=${boot_file:-$new_filename} next=${siaddr:-$new_next_server} root=${rootpath:-$new_root_path}" >> \(record.path)
                    ip addr add "$address/24" dev "$interface" 2>/dev/null
                    ;;
                esac
                exit 0

                """.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }

        @Test func realClientsGetExactlyTheirReservedAddressAndUnknownMACsNothing() throws {
            let lab = try NetworkLab()
            defer { lab.destroy() }
            let server = try lab.addHost("srv", address: "10.213.0.1/24")
            let udhcpcClient = try lab.addHost("tc1", mac: "52:54:00:aa:00:01")
            let dhclientClient = try lab.addHost("tc2", mac: "52:54:00:aa:00:02")
            let stranger = try lab.addHost("tc3", mac: "52:54:00:aa:00:99")
            let dnsmasq = try server.start("dnsmasq", [
                "/usr/sbin/dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--bind-interfaces",
                "--interface=\(server.interface)", "--dhcp-range=10.213.0.0,static,255.255.255.0,10m",
                "--dhcp-host=52:54:00:aa:00:01,10.213.0.51", "--dhcp-host=52:54:00:aa:00:02,10.213.0.52",
                "--dhcp-boot=pxelinux.0,srv,10.213.0.1", "--dhcp-option=17,10.213.0.1:/opt/ltsp/i386",
                "--dhcp-leasefile=\(lab.folder.appendingPathComponent("leases").path)", "--log-dhcp",
            ], logDirectory: lab.folder)
            defer { dnsmasq.stop() }
            let record = lab.folder.appendingPathComponent("offers.txt")
            let script = try Self.clientScript(in: lab.folder, recordingTo: record)

            let udhcpc = try udhcpcClient.run(["busybox", "udhcpc", "-i", udhcpcClient.interface, "-n", "-q", "-t", "5", "-T", "1", "-O", "rootpath", "-s", script])
            #expect(udhcpc.status == 0, "\(udhcpc.stderr)\n\(dnsmasq.log)")
            #expect(try lab.addresses(of: udhcpcClient) == ["10.213.0.51"])

            let dhclient = try dhclientClient.run([
                "dhclient", "-1", "-v", "-sf", script, "-lf", lab.folder.appendingPathComponent("dhclient.leases").path,
                "-pf", lab.folder.appendingPathComponent("dhclient.pid").path, dhclientClient.interface,
            ], timeout: .seconds(40))
            #expect(dhclient.status == 0, "\(dhclient.stderr)")
            #expect(try lab.addresses(of: dhclientClient) == ["10.213.0.52"])

            let offers = try String(contentsOf: record, encoding: .utf8)
            #expect(offers.contains("address=10.213.0.51 boot=pxelinux.0 next=10.213.0.1 root=10.213.0.1:/opt/ltsp/i386"))
            #expect(offers.contains("address=10.213.0.52 boot=pxelinux.0 next=10.213.0.1"))

            let unknown = try stranger.run(["busybox", "udhcpc", "-i", stranger.interface, "-n", "-q", "-t", "2", "-T", "1", "-s", script])
            #expect(unknown.status != 0)
            #expect(try lab.addresses(of: stranger).isEmpty)
        }

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
