import ClusterTestSupport
import Foundation
import Testing

extension IntegrationSuite {
    /// Real PXE firmware end to end: iPXE in QEMU on the namespace LAN gets its address and
    /// boot file from tc-dhcpd, downloads its script from tc-tftpd, and the script (a template
    /// rendered for this client) chains to a file named after the client's hostname.
    @Suite(.enabled(if: NetworkLab.isAvailable && PXEBoot.available, "needs root, qemu-system-x86 and ipxe-qemu"))
    struct PXEBootTests {
        @Test func iPXEInQEMUBootsFromTheClustersDHCPAndTFTPServers() async throws {
            let lab = try DHCPLab(servers: 1)
            defer { lab.destroy() }
            let binding = DHCPLab.bindings[0]
            let server = lab.servers[0]

            let root = lab.lab.folder.appendingPathComponent("tftp")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("ltsp"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("hello"), withIntermediateDirectories: true)
            // tc-dhcpd gives iPXE (user class "iPXE") dhcp.bootFileIPXE, ltsp/ltsp.ipxe by default.
            try "#!ipxe\nchain tftp://{server}/hello/{hostname}\n".write(to: root.appendingPathComponent("ltsp/ltsp.ipxe.tmpl"),
                                                                       atomically: true, encoding: .utf8)
            try "#!ipxe\nsleep 120\n".write(to: root.appendingPathComponent("hello/\(binding.hostname)"), atomically: true, encoding: .utf8)
            let tftpd = try server.start("tc-tftpd", [
                Binaries.url("tc-tftpd").path, "--root", root.path, "--listen", "0.0.0.0:69", "--metrics-listen", "127.0.0.1:9769",
                "--db", lab.databases[0], "--log-level", "debug",
            ], logDirectory: lab.lab.folder)
            defer { tftpd.stop() }
            #expect(tftpd.waitForLine(containing: "listening on", timeout: .seconds(20)) != nil, "\(tftpd.log)")

            let tap = try lab.lab.addTap("tctap0")
            let qemu = try tap.start("qemu", [
                "qemu-system-x86_64", "-nographic", "-nodefaults", "-no-user-config", "-m", "64", "-accel", "tcg", "-boot", "n",
                "-netdev", "tap,id=net0,ifname=tctap0,script=no,downscript=no",
                "-device", "e1000,netdev=net0,mac=\(binding.mac),romfile=\(PXEBoot.rom)",
            ], logDirectory: lab.lab.folder)
            defer { qemu.stop() }

            // SeaBIOS, then iPXE's DHCP, then two TFTP downloads: bounded at 120 s under TCG.
            let deadline = ContinuousClock.now + .seconds(120)
            var log = ""
            while ContinuousClock.now < deadline, qemu.isRunning {
                log = tftpd.log
                if log.contains("file=hello/\(binding.hostname)") && log.contains("outcome=completed") { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            let completed = log.split(separator: "\n").filter { $0.contains("outcome=completed") }
            #expect(completed.contains { $0.contains("file=ltsp/ltsp.ipxe") && $0.contains("client=") && $0.contains(binding.ip) },
                    "the boot script went to the client at its reserved address: \(log)\n\(lab.logs)\n\(qemu.log)")
            #expect(completed.contains { $0.contains("file=hello/\(binding.hostname)") },
                    "the rendered script chained to the client's own file: \(log)")
        }
    }
}

enum PXEBoot {
    static let rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-system-x86_64") && FileManager.default.fileExists(atPath: rom)
    }
}
