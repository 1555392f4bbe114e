extension ConfigRule where Value == String {
    /// A network interface name as the kernel accepts it (IFNAMSIZ 16 with its NUL).
    static var interfaceName: ConfigRule {
        ConfigRule(
            expected: "an interface name (1 to 15 characters, no '/', ':' or spaces)",
            accepts: { name in
                !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
                    && !name.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 >= 0x7F }
            },
            describe: quoted
        )
    }

    /// A boot file name: it travels in the 128-byte `file` field, so it must fit there.
    static var bootFileName: ConfigRule {
        ConfigRule(
            expected: "a boot file name of 1 to 127 printable ASCII characters",
            accepts: { name in !name.isEmpty && name.utf8.count <= 127 && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } },
            describe: quoted
        )
    }

    /// An NFS root path, `{server}:/path` or `address:/path`, as the kernel's nfsroot reads it.
    static var rootPath: ConfigRule {
        ConfigRule(
            expected: "a root path like \"{server}:/srv/ltsp/x86_64\" (at most 200 printable characters)",
            accepts: { path in
                path.utf8.count <= 200 && path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } && path.contains(":/")
            },
            describe: quoted
        )
    }

    static var ipv4Address: ConfigRule {
        ConfigRule(expected: "an IPv4 address in dotted-quad form", accepts: { IPv4Address($0) != nil }, describe: quoted)
    }

    /// A subnet in CIDR form whose host bits are zero (`10.1.0.0/24`, not `10.1.0.5/24`).
    static var ipv4Subnet: ConfigRule {
        ConfigRule(
            expected: "an IPv4 subnet in CIDR form with zero host bits, e.g. \"10.1.0.0/24\"",
            accepts: { IPv4Subnet($0) != nil },
            describe: quoted
        )
    }

    /// A DNS domain name (RFC 1123 labels), or empty for none.
    static var domainName: ConfigRule {
        ConfigRule(
            expected: "a domain name (letters, digits and '-' in dot-separated labels), or empty",
            accepts: { $0.isEmpty || (try? Names.validateHostname($0)) != nil },
            describe: quoted
        )
    }

    static func oneOf(_ choices: [String]) -> ConfigRule {
        ConfigRule(
            expected: "one of " + choices.map(quoted).joined(separator: ", "),
            accepts: { choices.contains($0) },
            describe: quoted
        )
    }
}

extension ConfigRule where Value == Int {
    /// RFC 2132 §2 reserves 128...254 for site-specific options; RFC 3942 reclassified 128...223,
    /// so only 224...254 are safe from clashing with a vendor's option.
    static var siteOptionCode: ConfigRule {
        ConfigRule(
            expected: "0 (off) or a site-specific option code in 224...254",
            accepts: { $0 == 0 || (224...254).contains($0) },
            describe: { String($0) }
        )
    }
}

extension ConfigRule where Value == Bool {
    static var boolean: ConfigRule {
        ConfigRule(expected: "true or false", accepts: { _ in true }, describe: { String($0) })
    }
}
