/// Why a node's configuration could not be loaded.
///
/// Each case carries what an administrator needs to find and fix the fault: the file, the
/// 1-based line, the key path as the documentation writes it (`protocol.maxLineLength`), what was
/// expected and what was found. `description` is the one line a daemon prints before it exits:
///
///     /etc/thincluster/node.yaml:7: protocol.maxLineLength: expected an integer in 256...1048576, found "abc"
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration file was named explicitly and does not exist. (A missing file at the
    /// default path is not an error: every key then takes its default.)
    case fileNotFound(path: String)
    /// The file exists but cannot be read: a directory, no permission, or not UTF-8 text.
    case unreadable(path: String, reason: String)
    /// The file is not well-formed YAML; `line` and `column` are where the YAML parser stopped.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// A mapping gives the same key twice; YAML leaves it undefined which one wins. `line` is
    /// the repeated key's, `firstLine` the first occurrence's (the same when not found).
    case duplicateKey(file: String, line: Int, key: String, firstLine: Int)
    /// A mapping key that is a list or mapping (`? [a, b]`), which cannot name a setting.
    case keyNotAName(file: String, line: Int, found: String)
    /// The document is a list or a scalar, not a mapping of sections.
    case notAMapping(file: String, line: Int, found: String)
    /// A key that no section defines: usually a typo, which would otherwise be silently ignored.
    case unknownKey(file: String, line: Int, keyPath: String, suggestion: String?, knownKeys: [String])
    /// A value of the wrong type, out of range or of the wrong form. `file` is nil when no file
    /// was read and `line` is nil when the key is not in the file: the faulty value is then a
    /// built-in default (a machine hostname that is not a valid node name, for instance).
    case invalidValue(file: String?, line: Int?, keyPath: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such configuration file"
        case let .unreadable(path, reason):
            return "\(path): cannot read the configuration file: \(reason)"
        case let .syntax(file, line, column, problem):
            return "\(file):\(line): not valid YAML (column \(column)): \(problem)"
        case let .duplicateKey(file, line, key, firstLine):
            let first = firstLine == line ? "" : " (first at line \(firstLine))"
            return "\(file):\(line): \(quoted(key)) is given more than once in the same mapping\(first)"
        case let .keyNotAName(file, line, found):
            return "\(file):\(line): expected a key name, found \(found)"
        case let .notAMapping(file, line, found):
            let sections = NodeConfig.CodingKeys.allCases.map(\.stringValue).joined(separator: ", ")
            return "\(file):\(line): expected a mapping of sections (\(sections)), found \(found)"
        case let .unknownKey(file, line, keyPath, suggestion, knownKeys):
            let hint = suggestion.map { "did you mean \(quoted($0))?" }
                ?? "known keys here: \(knownKeys.joined(separator: ", "))"
            return "\(file):\(line): \(keyPath): unknown key; \(hint)"
        case let .invalidValue(file, line?, keyPath, expected, found):
            return "\(file ?? "configuration"):\(line): \(keyPath): expected \(expected), found \(found)"
        case let .invalidValue(file, nil, keyPath, expected, found):
            let origin = file.map { "\($0): \(keyPath) is not set in the file, and its" } ?? "no configuration file; \(keyPath)'s"
            return "\(origin) built-in default is not valid: expected \(expected), found \(found); set \(keyPath) explicitly"
        }
    }
}
