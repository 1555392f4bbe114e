/// One section of `node.yaml`: a `Codable` struct with a default for every key.
///
/// Adding a section for a daemon means writing one struct that conforms to this protocol, with
/// a `CodingKeys` enum listing its keys, and one property plus one line in `NodeConfig`'s
/// decoder. The reader handed to `init(reading:defaults:)` does the rest that every section
/// needs: refusing unknown keys with a suggestion, falling back to the default of each key that
/// is not set, and checking each value (set or default) against its `ConfigRule`.
///
/// Defaults are passed in rather than built inside because some depend on another section
/// (paths under `node.stateDirectory`) or on the machine (`ConfigEnvironment`).
protocol ConfigSection: Codable, Sendable, Equatable {
    associatedtype Keys: CodingKey & CaseIterable

    /// Reads the section's keys, taking each from `defaults` when the file does not set it.
    init(reading keys: ConfigKeyReader<Keys>, defaults: Self) throws
}
