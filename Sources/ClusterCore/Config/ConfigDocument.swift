import Yams

/// A configuration file as composed by Yams: the node tree, which keeps the line of every key
/// and value, and the file's name. It answers the loader's question "where in the file is this
/// key path, and what is written there?" so every error can point at a line.
struct ConfigDocument {
    /// The file name as errors show it; nil when no file was read (all defaults).
    let source: String?
    let root: Node

    /// Where a key path is written: the line of its key (or of its list entry) and the node of
    /// its value. When the path leaves the tree (the key is not in the file), `value` is nil
    /// and `line` is that of the deepest part of the path that is there.
    func locate(_ path: [ConfigKeyPathComponent]) -> (line: Int, value: Node?) {
        var node = root
        var line = root.mark?.line ?? 1
        for component in path {
            switch (component, node) {
            case (.key(let name), .mapping(let mapping)):
                guard let pair = Self.pair(named: name, in: mapping) else { return (line, nil) }
                line = pair.key.mark?.line ?? line
                node = pair.value
            case (.index(let index), .sequence(let sequence)) where sequence.indices.contains(index):
                node = sequence[index]
                line = node.mark?.line ?? line
            default:
                return (line, nil)
            }
        }
        return (line, node)
    }

    /// The key and value of `name` in a mapping, looking through YAML merge keys (`<<: *base`)
    /// as the decoder does, so that a value brought in by a merge is found at its own line.
    private static func pair(named name: String, in mapping: Node.Mapping) -> (key: Node, value: Node)? {
        if let direct = mapping.first(where: { $0.key.string == name }) { return direct }
        for (key, value) in mapping where key.string == "<<" {
            let merged = value.sequence.map(Array.init) ?? [value]
            for case .mapping(let source) in merged {
                if let found = pair(named: name, in: source) { return found }
            }
        }
        return nil
    }

    /// The first mapping key that is not a plain scalar (`? [a, b]`), which no section can
    /// name and the decoder would otherwise skip in silence.
    func firstKeyThatIsNotAName() -> Node? {
        func search(_ node: Node) -> Node? {
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    if key.scalar == nil { return key }
                    if let found = search(value) { return found }
                }
                return nil
            case .sequence(let sequence):
                return sequence.lazy.compactMap(search).first
            default:
                return nil
            }
        }
        return search(root)
    }

    /// The `ConfigError` for a problem found while decoding, with the line filled in.
    func error(for problem: ConfigProblem) -> ConfigError {
        let keyPath = ConfigKeyPathComponent.render(problem.path)
        let location = locate(problem.path)
        switch problem.kind {
        case let .unknownKey(suggestion, knownKeys):
            return .unknownKey(
                file: source ?? "configuration",
                line: location.line,
                keyPath: keyPath,
                suggestion: suggestion,
                knownKeys: knownKeys
            )
        case let .invalidValue(expected, found, isDefault):
            return .invalidValue(
                file: source,
                line: isDefault ? nil : location.line,
                keyPath: keyPath,
                expected: expected,
                found: found ?? location.value.map(Self.describe) ?? "an unreadable value"
            )
        }
    }

    /// A value as written, for "found ...": plain numbers, booleans and nulls bare, text quoted,
    /// collections by kind. Long text is cut: the line number already points at the whole.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if node.null != nil { return "nothing" }
                if node.int != nil || node.float != nil || node.bool != nil { return scalar.string }
            }
            let text = scalar.string.count > 60 ? String(scalar.string.prefix(57)) + "..." : scalar.string
            return quoted(text)
        case .sequence:
            return "a list"
        case .mapping:
            return "a mapping"
        case .alias:
            return "an alias"
        }
    }
}
