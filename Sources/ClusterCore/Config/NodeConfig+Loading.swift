import Foundation
import Yams

extension NodeConfig {
    /// Loads and validates the node's configuration.
    ///
    /// - `path` given: that file must exist. Daemons pass their `--config` option here, and a
    ///   mistyped option must not silently run with defaults.
    /// - `path` nil: `defaultPath` is read if it exists; otherwise every key takes its default,
    ///   so a developer's local run needs no file.
    ///
    /// An empty file is all defaults. `environment` and `defaultPath` are parameters so tests
    /// control every input; daemons leave them at their defaults.
    public static func load(
        path: String?,
        environment: ConfigEnvironment = .current,
        defaultPath: String = NodeConfig.defaultPath
    ) throws(ConfigError) -> NodeConfig {
        let file = path ?? defaultPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            guard path == nil else { throw .fileNotFound(path: file) }
            return try decode(ConfigDocument(source: nil, root: emptyMapping), environment: environment)
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: file, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.isReadableFile(atPath: file) ? "read failed" : "permission denied"
            throw .unreadable(path: file, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: file, reason: "it is not UTF-8 text")
        }
        return try parse(yaml: text, source: file, environment: environment)
    }

    /// Parses and validates configuration text, touching neither the file system nor the
    /// process environment: the pure core of `load`. `source` names the text in errors.
    public static func parse(yaml: String, source: String, environment: ConfigEnvironment) throws(ConfigError) -> NodeConfig {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, source: source, yaml: yaml)
        }
        // No document, or one that is only `---` or `~`, is an empty configuration.
        let root = composed.flatMap { $0.null == nil ? $0 : nil } ?? emptyMapping
        guard case .mapping = root else {
            throw .notAMapping(file: source, line: root.mark?.line ?? 1, found: ConfigDocument.describe(root))
        }
        let document = ConfigDocument(source: source, root: root)
        if let key = document.firstKeyThatIsNotAName() {
            throw .keyNotAName(file: source, line: key.mark?.line ?? 1, found: ConfigDocument.describe(key))
        }
        return try decode(document, environment: environment)
    }

    private static var emptyMapping: Node { Node.mapping(Node.Mapping([])) }

    /// Decodes the tree, mapping every fault back to the file and line it came from.
    private static func decode(_ document: ConfigDocument, environment: ConfigEnvironment) throws(ConfigError) -> NodeConfig {
        do {
            return try YAMLDecoder().decode(NodeConfig.self, from: document.root, userInfo: environment.userInfo)
        } catch let problem as ConfigProblem {
            throw document.error(for: problem)
        } catch let error as DecodingError {
            // Sections catch their own decoding errors; this covers any that slip past one.
            let problem = ConfigProblem(
                codingPath: error.failureCodingPath,
                .invalidValue(expected: "a value of the right type", found: nil)
            )
            throw document.error(for: problem)
        } catch {
            // Decoding a composed tree throws nothing else; kept so that nothing escapes untyped.
            throw .unreadable(path: document.source ?? NodeConfig.defaultPath, reason: "\(error)")
        }
    }

    /// Yams' own positions are kept: libyaml reports the line where it stopped, which for a
    /// bad indent or a missing colon is the line to look at (or the one just after it).
    private static func syntaxError(_ error: any Error, source: String, yaml: String) -> ConfigError {
        guard let yamlError = error as? YamlError else {
            return .syntax(file: source, line: 1, column: 1, problem: "\(error)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let during = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return .syntax(file: source, line: mark.line, column: mark.column, problem: problem + during)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            let line = repeatedKeyLine(key, firstAt: context.mark, in: yaml) ?? context.mark.line
            return .duplicateKey(file: source, line: line, key: key, firstLine: context.mark.line)
        case let .reader(problem, offset, _, _):
            let (line, column) = position(ofCharacterOffset: offset ?? 0, in: yaml)
            return .syntax(file: source, line: line, column: column, problem: problem)
        default:
            return .syntax(file: source, line: 1, column: 1, problem: "\(yamlError)")
        }
    }

    /// Yams reports only where a duplicated key first appears; the repeat is the line to fix.
    /// In block style it starts at the same column, so it is the next line after the first
    /// that begins there with the key and a colon. Flow style (`{a: 1, a: 2}`) is not searched.
    private static func repeatedKeyLine(_ key: String, firstAt mark: Mark, in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = mark.column - 1
        guard mark.line < lines.count else { return nil }
        for index in mark.line..<lines.count {
            let line = lines[index]
            guard line.count > indent, line.prefix(indent).allSatisfy({ $0 == " " }) else { continue }
            let rest = line.dropFirst(indent)
            if rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") {
                return index + 1
            }
        }
        return nil
    }

    /// The 1-based line and column of a character offset, for libyaml reader errors (a control
    /// character or invalid encoding) which report an offset rather than a mark.
    private static func position(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
