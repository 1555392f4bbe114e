/// Pressure stall information for one resource, from /proc/pressure/{cpu,memory,io}.
///
/// The kernel (4.20 and later, with PSI enabled) writes
/// ```
/// some avg10=1.66 avg60=6.53 avg300=13.72 total=289651874
/// full avg10=0.00 avg60=0.00 avg300=0.00 total=0
/// ```
/// `some avg10` is the share of the last 10 seconds in which at least one task waited for the
/// resource, in percent. It reacts faster than the load average and, unlike it, does not count
/// tasks sleeping on I/O as CPU demand, so the load balancer can tell a busy CPU from a slow
/// disk. (`full` is absent for cpu on kernels before 5.13; it is not used.)
struct PressureStall: Equatable, Sendable {
    /// `some avg10`, in percent, 0...100.
    var someAverage10: Double

    init(someAverage10: Double) {
        self.someAverage10 = someAverage10
    }

    /// Parses the contents of one /proc/pressure file.
    init(parsing text: String) throws(KernelTextError) {
        guard !text.isEmpty else { throw .empty }
        guard let some = text.split(separator: "\n").first(where: { $0.hasPrefix("some ") }) else {
            throw .missingField("some")
        }
        guard let field = some.split(separator: " ").first(where: { $0.hasPrefix("avg10=") }) else {
            throw .missingField("some avg10")
        }
        let value = try KernelNumber.nonNegativeDouble(field.dropFirst("avg10=".count), field: "some avg10")
        guard value <= 100 else { throw .outOfRange(field: "some avg10", found: String(field)) }
        self.init(someAverage10: value)
    }
}
