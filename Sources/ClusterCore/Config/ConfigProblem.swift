/// A fault found while decoding a configuration, located by key path but not yet by line.
///
/// Section initialisers run inside `Decodable`, which can only throw untyped errors and knows
/// nothing of the YAML text. They throw this instead; the loader, which holds the YAML node tree,
/// turns the key path into a line and the value as written, and throws a `ConfigError`.
struct ConfigProblem: Error {
    enum Kind {
        /// A key that the section does not define.
        case unknownKey(suggestion: String?, knownKeys: [String])
        /// A value of the wrong type, out of range or of the wrong form. `found` is set when the
        /// value was checked after decoding; when nil the loader describes the YAML node as
        /// written. `isDefault` marks a built-in default, which has no line in the file.
        case invalidValue(expected: String, found: String?, isDefault: Bool = false)
    }

    var path: [ConfigKeyPathComponent]
    var kind: Kind

    init(codingPath: [any CodingKey], _ kind: Kind) {
        self.path = codingPath.map(ConfigKeyPathComponent.init)
        self.kind = kind
    }
}

/// One step of a key path: a mapping key or a list position.
enum ConfigKeyPathComponent: Equatable {
    case key(String)
    case index(Int)

    /// Decoders mark list positions with an integer key; every key of ours is a string.
    init(_ codingKey: any CodingKey) {
        if let index = codingKey.intValue {
            self = .index(index)
        } else {
            self = .key(codingKey.stringValue)
        }
    }

    /// `protocol.maxLineLength`, `cluster.loadBalancers[2]`: how the documentation names keys.
    static func render(_ path: [ConfigKeyPathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let name):
                text += text.isEmpty ? name : "." + name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

/// A coding key for any name, used to list every key a mapping holds, known or not.
struct AnyConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { self.stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
