import ClusterCore
import Foundation

/// Prints results for people (aligned tables) or for scripts (`--json`, one JSON document).
struct Output {
    var json: Bool

    func table(_ headers: [String], _ rows: [[String]]) {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(headers.map { $0.uppercased() }))
        for row in rows { print(line(row)) }
    }

    func emit<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// A one-line confirmation for people; scripts get `{"ok":true,...}`.
    func done(_ message: String, _ fields: [String: String] = [:]) throws {
        if json {
            var object = fields
            object["ok"] = "true"
            try emit(object)
        } else {
            print(message)
        }
    }
}
