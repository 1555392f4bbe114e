/// Finds the known key an unknown one was probably meant to be.
///
/// Typos in configuration keys are mostly case slips (`maxLinelength`) and one or two wrong,
/// missing or swapped letters. An unknown key is refused outright (a silently ignored key is a
/// setting the administrator believes is in force), so the refusal should point at the fix.
enum KeySuggestion {
    /// The known key closest to `unknown`, ignoring case, if it is close enough to be a typo:
    /// at most a third of the key's letters differ, and at least two differences are tolerated.
    static func closest(to unknown: String, in known: [String]) -> String? {
        let target = Array(unknown.lowercased())
        var best: (key: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        let tolerance = max(2, max(target.count, best.key.count) / 3)
        return best.distance <= tolerance ? best.key : nil
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit (optimal string
    /// alignment), so `idelTimeoutSeconds` is one step from `idleTimeoutSeconds`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
