import Foundation

/// Validation of the names the directory stores.
///
/// Names end up in DHCP replies, file paths on session servers and log lines, so the directory
/// accepts only the portable forms and refuses anything else at the door.
public enum Names {
    /// POSIX portable user names (POSIX.1-2017 3.437, the portable filename character set),
    /// not starting with a hyphen and not all digits (useradd refuses those: they read as UIDs).
    /// 32 characters is the limit utmp and most tools keep.
    public static func validateUsername(_ name: String) throws(DirectoryError) {
        let field = "username"
        guard !name.isEmpty, name.utf8.count <= 32 else {
            throw .invalid(field: field, value: name, reason: "must be 1 to 32 characters")
        }
        guard name.utf8.allSatisfy(isPortableFilenameByte) else {
            throw .invalid(field: field, value: name, reason: "only letters, digits, '.', '_' and '-' are allowed")
        }
        guard name.first != "-" else {
            throw .invalid(field: field, value: name, reason: "must not start with '-'")
        }
        guard !name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalid(field: field, value: name, reason: "must not be all digits")
        }
    }

    /// A host name of one or more RFC 1123 labels: letters, digits and hyphens, each label 1-63
    /// characters, not starting or ending with a hyphen, 253 characters at most in all.
    public static func validateHostname(_ name: String, field: String = "hostname") throws(DirectoryError) {
        guard !name.isEmpty, name.utf8.count <= 253 else {
            throw .invalid(field: field, value: name, reason: "must be 1 to 253 characters")
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63 else {
                throw .invalid(field: field, value: name, reason: "each dot-separated label must be 1 to 63 characters")
            }
            guard label.utf8.allSatisfy({ isASCIIAlphanumeric($0) || $0 == 0x2D }) else {
                throw .invalid(field: field, value: name, reason: "only letters, digits, '-' and '.' are allowed")
            }
            guard label.first != "-", label.last != "-" else {
                throw .invalid(field: field, value: name, reason: "a label must not start or end with '-'")
            }
        }
    }

    /// Names of groups, boot profiles and setting keys: a letter, then letters, digits, '.', '_'
    /// or '-', 64 characters at most.
    public static func validateIdentifier(_ name: String, field: String) throws(DirectoryError) {
        guard !name.isEmpty, name.utf8.count <= 64 else {
            throw .invalid(field: field, value: name, reason: "must be 1 to 64 characters")
        }
        guard let first = name.utf8.first, isASCIILetter(first) else {
            throw .invalid(field: field, value: name, reason: "must start with a letter")
        }
        guard name.utf8.allSatisfy(isPortableFilenameByte) else {
            throw .invalid(field: field, value: name, reason: "only letters, digits, '.', '_' and '-' are allowed")
        }
    }

    /// An IPv4 address in dotted-quad form, the only form DHCPv4 can hand out.
    public static func validateIPv4(_ address: String, field: String = "ip") throws(DirectoryError) {
        var storage = in_addr()
        guard address.utf8.count <= 15, inet_pton(AF_INET, address, &storage) == 1 else {
            throw .invalid(field: field, value: address, reason: "must be an IPv4 address such as 192.168.10.21")
        }
    }

    /// A server address: an IPv4 or IPv6 literal, or a DNS name.
    public static func validateServerAddress(_ address: String) throws(DirectoryError) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, address, &v4) == 1 || inet_pton(AF_INET6, address, &v6) == 1 { return }
        do {
            try validateHostname(address, field: "address")
        } catch {
            throw .invalid(field: "address", value: address, reason: "must be an IPv4 or IPv6 address or a DNS name")
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39)
    }

    private static func isPortableFilenameByte(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D
    }
}
