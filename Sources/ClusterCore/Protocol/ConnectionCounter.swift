/// Counts a `LineServer`'s open connections against its limit.
actor ConnectionCounter {
    enum Admission: Equatable {
        case admitted
        /// Over the limit. `firstInStreak` is true for the first refusal since the last
        /// admission, so an overload is logged once rather than once per connection.
        case refused(firstInStreak: Bool)
    }

    let limit: Int
    private(set) var active = 0
    /// Refusals since the last admission, reported when the overload ends.
    private(set) var refusedInStreak = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot if one is free. On admission, also returns how many connections were
    /// refused since the previous admission.
    func admit() -> (Admission, refusedBefore: Int) {
        guard active < limit else {
            refusedInStreak += 1
            return (.refused(firstInStreak: refusedInStreak == 1), 0)
        }
        active += 1
        defer { refusedInStreak = 0 }
        return (.admitted, refusedInStreak)
    }

    func release() {
        active -= 1
    }
}
