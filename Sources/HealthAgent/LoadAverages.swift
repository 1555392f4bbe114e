/// The load averages over 1, 5 and 15 minutes, from /proc/loadavg.
///
/// The file is one line, `0.55 1.18 1.21 2/86 8906`: three averages, running/total
/// scheduling entities, and the last PID (proc(5)). Only the averages are used; the rest is
/// not checked, so a kernel that appends a field still parses.
struct LoadAverages: Equatable, Sendable {
    var one: Double
    var five: Double
    var fifteen: Double

    init(one: Double, five: Double, fifteen: Double) {
        self.one = one
        self.five = five
        self.fifteen = fifteen
    }

    /// Parses the contents of /proc/loadavg.
    init(parsing text: String) throws(KernelTextError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard !fields.isEmpty else { throw .empty }
        let names = ["load1", "load5", "load15"]
        var values = [Double]()
        for (index, name) in names.enumerated() {
            guard index < fields.count else { throw .missingField(name) }
            values.append(try KernelNumber.nonNegativeDouble(fields[index], field: name))
        }
        self.init(one: values[0], five: values[1], fifteen: values[2])
    }
}
