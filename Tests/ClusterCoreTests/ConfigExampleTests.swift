import ClusterCore
import Foundation
import Testing

/// deploy/examples/node.yaml documents every key at its default; loading it must give exactly
/// the defaults, so the example cannot drift from the code.
@Suite("The example node.yaml")
struct ConfigExampleTests {
    /// The package root, found from this file's place in it: Tests/ClusterCoreTests/<file>.
    static let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("deploy/examples/node.yaml")
        .path

    @Test(arguments: [ConfigFixtures.user, ConfigFixtures.root])
    func theExampleFileEqualsTheDefaults(environment: ConfigEnvironment) throws {
        let config = try NodeConfig.load(path: Self.examplePath, environment: environment)

        #expect(config == NodeConfig(environment: environment))
    }

    /// Every key the code knows appears in the example, set or commented out, under its own
    /// section (`listen` is in three), so that the example is also the complete list an
    /// administrator reads.
    @Test func theExampleMentionsEveryKey() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        let config = NodeConfig(environment: ConfigFixtures.user)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: [String: Any]]
        let sections = try #require(encoded)
        let blocks = Self.sectionBlocks(text)

        for (section, keys) in sections {
            #expect(text.contains("\n\(section):\n"), "section \(section) missing from the example")
            let block = blocks[section] ?? ""
            for key in keys.keys {
                #expect(block.contains(" \(key): "), "key \(section).\(key) missing from the example")
            }
        }
    }

    /// The example's text under each top-level `section:` line, up to the next one.
    static func sectionBlocks(_ text: String) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first.isLetter, line.hasSuffix(":") {
                current = String(line.dropLast())
            } else if let current {
                blocks[current, default: ""] += line + "\n"
            }
        }
        return blocks
    }
}
