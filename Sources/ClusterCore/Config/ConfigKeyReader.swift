/// Reads the keys of one configuration mapping with defaults and rules.
///
/// A section that is absent, or present with nothing under it (`node:` followed only by
/// comments, as in the example file), reads as all defaults. Every failure is thrown as a
/// `ConfigProblem` carrying the full key path, which the loader maps back to a line.
struct ConfigKeyReader<Key: CodingKey & CaseIterable> {
    private let container: KeyedDecodingContainer<Key>?
    private let codingPath: [any CodingKey]

    /// A reader over the mapping `decoder` points at; refuses keys that `Key` does not list.
    init(_ decoder: any Decoder) throws {
        codingPath = decoder.codingPath
        if try decoder.singleValueContainer().decodeNil() {
            container = nil
            return
        }
        let present: [String]
        do {
            present = try decoder.container(keyedBy: AnyConfigKey.self).allKeys.map(\.stringValue)
            container = try decoder.container(keyedBy: Key.self)
        } catch is DecodingError {
            let known = Key.allCases.map(\.stringValue).joined(separator: ", ")
            throw ConfigProblem(codingPath: codingPath, .invalidValue(expected: "a mapping with the keys \(known)", found: nil))
        }
        let known = Key.allCases.map(\.stringValue)
        for name in present where !known.contains(name) {
            let suggestion = KeySuggestion.closest(to: name, in: known)
            throw ConfigProblem(
                codingPath: codingPath + [AnyConfigKey(name)],
                .unknownKey(suggestion: suggestion, knownKeys: known)
            )
        }
    }

    /// A reader for a mapping that is not in the file at all: every key takes its default.
    private init(absentAt codingPath: [any CodingKey]) {
        self.container = nil
        self.codingPath = codingPath
    }

    /// The reader for a nested section, all defaults when the section is not in the file.
    func section<Nested>(_ key: Key) throws -> ConfigKeyReader<Nested> {
        guard let container, container.contains(key) else {
            return ConfigKeyReader<Nested>(absentAt: codingPath + [key])
        }
        return try ConfigKeyReader<Nested>(container.superDecoder(forKey: key))
    }

    /// The value of a scalar key, or `defaultValue` when the key is absent or empty, checked
    /// against `rule` either way.
    func read<Value: Decodable>(_ key: Key, default defaultValue: Value, rule: ConfigRule<Value>) throws -> Value {
        let path = codingPath + [key]
        let value: Value
        let isDefault: Bool
        if let container, container.contains(key), try !container.decodeNil(forKey: key) {
            do {
                value = try container.decode(Value.self, forKey: key)
            } catch is DecodingError {
                throw ConfigProblem(codingPath: path, .invalidValue(expected: rule.expected, found: nil))
            }
            isDefault = false
        } else {
            (value, isDefault) = (defaultValue, true)
        }
        guard rule.accepts(value) else {
            let found = rule.describe(value)
            throw ConfigProblem(codingPath: path, .invalidValue(expected: rule.expected, found: found, isDefault: isDefault))
        }
        return value
    }

    /// The value of a list key, each element checked against `rule`; an element that fails is
    /// reported at its own position (`cluster.loadBalancers[2]`) so the line is the element's.
    /// With `distinct`, an element given twice is refused: a repeated entry is a copy-and-paste
    /// slip that would otherwise double-weight one server.
    func readList<Element: Decodable & Equatable>(
        _ key: Key,
        default defaultValue: [Element],
        each rule: ConfigRule<Element>,
        distinct: Bool
    ) throws -> [Element] {
        let path = codingPath + [key]
        let elements: [Element]
        let isDefault: Bool
        if let container, container.contains(key), try !container.decodeNil(forKey: key) {
            do {
                elements = try container.decode([Element].self, forKey: key)
            } catch let error as DecodingError {
                let failedPath = error.failureCodingPath
                let inElement = failedPath.count > path.count
                let expected = inElement ? rule.expected : "a list, each entry \(rule.expected)"
                throw ConfigProblem(codingPath: inElement ? failedPath : path, .invalidValue(expected: expected, found: nil))
            }
            isDefault = false
        } else {
            (elements, isDefault) = (defaultValue, true)
        }
        for (index, element) in elements.enumerated() {
            let elementPath = path + [ListIndexKey(index)]
            guard rule.accepts(element) else {
                let found = rule.describe(element)
                throw ConfigProblem(codingPath: elementPath, .invalidValue(expected: rule.expected, found: found, isDefault: isDefault))
            }
            if distinct, elements[..<index].contains(element) {
                throw ConfigProblem(
                    codingPath: elementPath,
                    .invalidValue(expected: "each entry once", found: "\(rule.describe(element)) again", isDefault: isDefault)
                )
            }
        }
        return elements
    }
}

/// The coding key of a list position, as decoders report it in `codingPath`.
private struct ListIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { self.intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

extension DecodingError {
    /// The key path of the value that failed, whatever the kind of failure.
    var failureCodingPath: [any CodingKey] {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath
        case .keyNotFound(let key, let context):
            return context.codingPath + [key]
        @unknown default:
            return []
        }
    }
}
