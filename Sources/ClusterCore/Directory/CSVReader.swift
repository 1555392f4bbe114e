/// A reader for the comma-separated files administrators export from spreadsheets and school
/// management systems (RFC 4180): quoted fields with doubled quotes, CRLF or LF line ends, a
/// UTF-8 byte-order mark. Blank lines and lines starting with `#` are skipped so that an import
/// file can carry comments. Each record remembers the line it started on, for error messages.
public struct CSVReader {
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unterminatedQuote(line: Int)
        case textAfterQuote(line: Int)

        public var description: String {
            switch self {
            case let .unterminatedQuote(line): return "line \(line): a quoted field is not closed"
            case let .textAfterQuote(line): return "line \(line): text after a closing quote (write \"\" for a quote inside a field)"
            }
        }

        public var line: Int {
            switch self {
            case let .unterminatedQuote(line), let .textAfterQuote(line): return line
            }
        }
    }

    public static func records(in text: String) throws(Failure) -> [Record] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var index = 0
        var fieldWasQuoted = false
        var atRecordStart = true

        func endRecord() {
            fields.append(String(field))
            let isBlank = fields.count == 1 && fields[0].allSatisfy(\.isWhitespace) && !fieldWasQuoted
            let isComment = !fieldWasQuoted && fields.first?.hasPrefix("#") == true
            if !isBlank && !isComment { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = String.UnicodeScalarView()
            fieldWasQuoted = false
            atRecordStart = true
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if atRecordStart { recordLine = line; atRecordStart = false }
            switch scalar {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                fieldWasQuoted = true
                index += 1
                var closed = false
                while index < scalars.count {
                    let inner = scalars[index]
                    if inner == "\"" {
                        if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                            field.append("\""); index += 2; continue
                        }
                        closed = true; index += 1; break
                    }
                    if inner == "\n" { line += 1 }
                    field.append(inner)
                    index += 1
                }
                guard closed else { throw .unterminatedQuote(line: recordLine) }
                if index < scalars.count, !["," , "\n", "\r"].contains(scalars[index]) {
                    throw .textAfterQuote(line: line)
                }
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                fieldWasQuoted = false
                index += 1
            case "\r":
                index += 1
            case "\n":
                endRecord()
                line += 1
                index += 1
            default:
                field.append(scalar)
                index += 1
            }
        }
        if !atRecordStart || !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
