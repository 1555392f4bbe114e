/// Total and available memory, from /proc/meminfo.
///
/// MemAvailable is the kernel's estimate of what new work can use without swapping (page
/// cache and reclaimable slab included), which MemFree alone badly underestimates on a server
/// that has been up for a while. Lines are `Name:   value kB`, where kB means KiB.
struct MemoryInfo: Equatable, Sendable {
    var totalBytes: UInt64
    var availableBytes: UInt64

    init(totalBytes: UInt64, availableBytes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
    }

    /// Parses the contents of /proc/meminfo; other lines are ignored.
    init(parsing text: String) throws(KernelTextError) {
        guard !text.isEmpty else { throw .empty }
        var total: UInt64?
        var available: UInt64?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("MemTotal:") {
                total = try Self.bytes(of: line, field: "MemTotal")
            } else if line.hasPrefix("MemAvailable:") {
                available = try Self.bytes(of: line, field: "MemAvailable")
            }
        }
        guard let total else { throw .missingField("MemTotal") }
        guard let available else { throw .missingField("MemAvailable") }
        guard total > 0 else { throw .outOfRange(field: "MemTotal", found: "0 kB") }
        guard available <= total else {
            throw .outOfRange(field: "MemAvailable", found: "\(available / 1024) kB, above MemTotal \(total / 1024) kB")
        }
        self.init(totalBytes: total, availableBytes: available)
    }

    /// `MemTotal:       16318736 kB` -> 16318736 × 1024.
    private static func bytes(of line: Substring, field: String) throws(KernelTextError) -> UInt64 {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2] == "kB" else { throw .notANumber(field: field, found: String(line)) }
        guard let kibibytes = UInt64(parts[1]) else { throw .notANumber(field: field, found: String(parts[1])) }
        let (bytes, overflow) = kibibytes.multipliedReportingOverflow(by: 1024)
        guard !overflow else { throw .outOfRange(field: field, found: String(parts[1])) }
        return bytes
    }
}
