/// The number of online CPUs, from /sys/devices/system/cpu/online.
///
/// The file is a CPU list (`0-3`, `0,2-5,8`); CPUs can be taken offline at run time, so the
/// count is read with every sample rather than once. A load average means little without it:
/// 4.0 is saturation on four CPUs and a quiet afternoon on sixty-four.
struct OnlineCPUs: Equatable, Sendable {
    /// No machine ThinCluster runs on has more; a larger figure means garbage.
    static let maximum = 65_536

    var count: Int

    init(count: Int) {
        self.count = count
    }

    /// Parses a kernel CPU list.
    init(parsing text: String) throws(KernelTextError) {
        let list = text.trimmingSuffix { $0 == "\n" || $0 == " " }
        guard !list.isEmpty else { throw .empty }
        var count = 0
        for range in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                  let first = Int(bounds[0]), let last = Int(bounds[bounds.count - 1]),
                  first >= 0, first <= last
            else { throw .notANumber(field: "online CPU list", found: String(list)) }
            count += last - first + 1
            guard count <= Self.maximum else { throw .outOfRange(field: "online CPU count", found: String(list)) }
        }
        self.init(count: count)
    }
}

private extension String {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
