import Foundation
import ClusterCore

/// What a thin client boots: the file for each kind of firmware and the NFS root. Every field
/// may be a template with `{server}`, replaced by the answering server's address.
///
/// The cluster-wide values live in the directory as settings `boot.<profile>.<field>` (fields
/// `bios`, `uefi`, `arm64`, `ipxe`, `root-path`), so every boot server answers the same; the
/// node's `dhcp` configuration fills what the directory leaves unset.
struct BootSettings: Sendable, Equatable {
    var bios: String?
    var uefi: String?
    var arm64: String?
    var ipxe: String?
    var rootPath: String?

    enum Field: String, CaseIterable {
        case bios, uefi, arm64, ipxe, rootPath = "root-path"
    }

    init(bios: String? = nil, uefi: String? = nil, arm64: String? = nil, ipxe: String? = nil, rootPath: String? = nil) {
        self.bios = bios
        self.uefi = uefi
        self.arm64 = arm64
        self.ipxe = ipxe
        self.rootPath = rootPath
    }

    init(section: DHCPSection) {
        self.init(bios: section.bootFileBIOS, uefi: section.bootFileUEFI, arm64: section.bootFileARM64,
                  ipxe: section.bootFileIPXE, rootPath: section.rootPath)
    }

    /// `boot.kiosk.uefi` → ("kiosk", .uefi); nil for any other setting.
    static func parseKey(_ key: String) -> (String, Field)? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "boot", !parts[1].isEmpty, let field = Field(rawValue: String(parts[2])) else { return nil }
        return (String(parts[1]), field)
    }

    mutating func set(_ field: Field, to value: String) {
        switch field {
        case .bios: bios = value
        case .uefi: uefi = value
        case .arm64: arm64 = value
        case .ipxe: ipxe = value
        case .rootPath: rootPath = value
        }
    }

    func filling(from other: BootSettings) -> BootSettings {
        BootSettings(bios: bios ?? other.bios, uefi: uefi ?? other.uefi, arm64: arm64 ?? other.arm64,
                     ipxe: ipxe ?? other.ipxe, rootPath: rootPath ?? other.rootPath)
    }

    /// The boot file for a client: iPXE gets its script (it has already been chain-loaded),
    /// firmware gets the loader for its architecture (RFC 4578 §2.1), and a client that names
    /// no architecture (an operating system's DHCP client) gets the BIOS file, which it ignores.
    func bootFile(for options: DHCPOptions) -> String? {
        if options.hasUserClass("iPXE") { return ipxe }
        switch options.clientSystemArchitectures?.first {
        case .efiX86_64?, .efiBC?, .efiX86_64HTTP?: return uefi
        case .efiARM64?, .efiARM64HTTP?: return arm64
        default: return bios
        }
    }

    static func expand(_ template: String, server: IPv4Address) -> String {
        template.replacingOccurrences(of: "{server}", with: server.description)
    }
}
