/// What one configuration key accepts, in the words an error message uses.
///
/// The same `expected` text serves a type error ("abc" for an integer) and a range error (100
/// for 256...1048576), so an administrator reads one description of the key whatever went wrong.
/// A rule is also applied to built-in defaults: the hostname the machine reports may not be a
/// valid node name, and that must fail at start with the key named, like any value in the file.
struct ConfigRule<Value>: Sendable {
    /// The accepted values, phrased to follow "expected": "an integer in 1...3600".
    let expected: String
    let accepts: @Sendable (Value) -> Bool
    /// The value as an error message shows it: strings quoted, numbers bare.
    let describe: @Sendable (Value) -> String
}

extension ConfigRule where Value == Int {
    static func integer(in range: ClosedRange<Int>) -> ConfigRule {
        ConfigRule(
            expected: "an integer in \(range.lowerBound)...\(range.upperBound)",
            accepts: { range.contains($0) },
            describe: { String($0) }
        )
    }
}

extension ConfigRule where Value == String {
    /// Paths must be absolute: daemons run from `/` under systemd, where a relative path would
    /// silently land somewhere other than where the administrator was standing when writing it.
    static var absolutePath: ConfigRule {
        ConfigRule(
            expected: "an absolute path",
            accepts: { $0.hasPrefix("/") },
            describe: quoted
        )
    }

    /// Node names are compared as plain strings across the cluster (directory records, health
    /// reports, logs), so only the lowercase form is accepted and `Node-1` cannot shadow `node-1`.
    static var lowercaseHostname: ConfigRule {
        ConfigRule(
            expected: "a lowercase host name (letters, digits and '-' in dot-separated labels of 1 to 63 characters)",
            accepts: { name in
                guard name == name.lowercased() else { return false }
                return (try? Names.validateHostname(name)) != nil
            },
            describe: quoted
        )
    }
}

extension ConfigRule where Value == Endpoint {
    /// Parsing into `Endpoint` already refused malformed text; this rule carries the wording.
    static var endpoint: ConfigRule {
        ConfigRule(
            expected: "a \"host:port\" address with a port in 1...65535 (IPv6 as \"[address]:port\")",
            accepts: { _ in true },
            describe: { quoted($0.description) }
        )
    }
}

/// A string as error messages show it: in double quotes, with quotes and control characters
/// escaped so that a stray tab or newline in the file is visible.
func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            result += "\\u{\(String(scalar.value, radix: 16))}"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

extension ConfigRule where Value == String {
    /// A systemd unit name as the `SERVICE` verb passes it to the service command: no options,
    /// no paths, nothing a shell or systemctl would read as more than one name.
    static var serviceName: ConfigRule {
        ConfigRule(
            expected: "a service name (letters, digits, '.', '_', '@' and '-', not starting with '-')",
            accepts: { name in
                !name.isEmpty && name.utf8.count <= 128 && name.first != "-"
                    && name.utf8.allSatisfy { byte in
                        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
                    }
            },
            describe: quoted
        )
    }
}

extension ConfigRule where Value == [String] {
    /// A command line: a program and its arguments, with `{server}` in one of them.
    static var commandLine: ConfigRule {
        ConfigRule(
            expected: "a list: the program, then its arguments, one of which contains {server}",
            accepts: { words in
                guard let program = words.first, !program.isEmpty else { return false }
                return words.contains { $0.contains("{server}") }
            },
            describe: { "[" + $0.map(quoted).joined(separator: ", ") + "]" }
        )
    }
}
