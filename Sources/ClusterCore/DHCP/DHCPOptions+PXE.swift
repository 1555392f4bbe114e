/// The options PXE firmware and iPXE use to say what they are.
extension DHCPOptions {
    /// Client system architectures, 93 (RFC 4578 §2.1): one or more 16-bit types.
    public var clientSystemArchitectures: [DHCPClientArchitecture]? {
        get {
            guard let value = self[.clientSystemArchitecture], !value.isEmpty, value.count % 2 == 0 else { return nil }
            return stride(from: 0, to: value.count, by: 2).map {
                DHCPClientArchitecture(rawValue: UInt16(value[$0]) << 8 | UInt16(value[$0 + 1]))
            }
        }
        set {
            self[.clientSystemArchitecture] = newValue?.flatMap { [UInt8($0.rawValue >> 8), UInt8(truncatingIfNeeded: $0.rawValue)] }
        }
    }

    /// User classes, 77. RFC 3004 §4 encodes a list of length-prefixed classes; iPXE instead
    /// sends the bare string `iPXE`. A value that does not tile exactly into non-empty
    /// length-prefixed classes is taken as one plain class, so both forms read the same.
    /// Setting writes the RFC 3004 form; write a plain class with `self[.userClass]`.
    public var userClasses: [[UInt8]]? {
        get {
            guard let value = self[.userClass] else { return nil }
            var classes: [[UInt8]] = []
            var index = value.startIndex
            while index < value.endIndex {
                let length = Int(value[index])
                guard length > 0, index + 1 + length <= value.endIndex else { return [value] }
                classes.append(Array(value[index + 1..<index + 1 + length]))
                index += 1 + length
            }
            return classes.isEmpty ? [value] : classes
        }
        set {
            self[.userClass] = newValue?.flatMap { [UInt8(truncatingIfNeeded: $0.count)] + $0.prefix(255) }
        }
    }

    /// Whether any user class is `name`, as in `hasUserClass("iPXE")`.
    public func hasUserClass(_ name: String) -> Bool {
        userClasses?.contains { $0 == Array(name.utf8) } ?? false
    }
}

/// A client system architecture type, option 93 (RFC 4578 §2.1, IANA "Processor Architecture
/// Types"), which decides the boot file.
public struct DHCPClientArchitecture: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let x86BIOS = DHCPClientArchitecture(rawValue: 0)
    public static let efiIA32 = DHCPClientArchitecture(rawValue: 6)
    /// Type 7 is x64 UEFI; some firmware sends 9 for the same (RFC 4578 errata 4624).
    public static let efiX86_64 = DHCPClientArchitecture(rawValue: 7)
    public static let efiBC = DHCPClientArchitecture(rawValue: 9)
    public static let efiARM32 = DHCPClientArchitecture(rawValue: 10)
    public static let efiARM64 = DHCPClientArchitecture(rawValue: 11)
    public static let efiX86_64HTTP = DHCPClientArchitecture(rawValue: 16)
    public static let efiARM64HTTP = DHCPClientArchitecture(rawValue: 19)

    public var description: String {
        switch self {
        case .x86BIOS: "x86 BIOS"
        case .efiIA32: "EFI IA32"
        case .efiX86_64: "EFI x86-64"
        case .efiBC: "EFI BC"
        case .efiARM32: "EFI ARM32"
        case .efiARM64: "EFI ARM64"
        case .efiX86_64HTTP: "EFI x86-64 HTTP"
        case .efiARM64HTTP: "EFI ARM64 HTTP"
        default: "architecture \(rawValue)"
        }
    }
}
