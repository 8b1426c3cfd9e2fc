/// The optimal string alignment distance of two strings, by Unicode scalar: how many insertions, deletions,
/// substitutions and swaps of neighbours turn one into the other ("19560409" and "19560490" are one apart).
/// Record linkage only asks whether two codes are within one or two edits, so the work is bounded by a limit.
public enum EditDistance {
    /// Strings longer than this are compared by their first `maxLength` scalars.
    public static let maxLength = 64

    /// The distance, or `limit + 1` when it is more than `limit`.
    public static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        distance(Array(a.unicodeScalars.prefix(maxLength)), Array(b.unicodeScalars.prefix(maxLength)), limit: limit)
    }

    /// The distance of two scalar sequences, or `limit + 1` when it is more than `limit`.
    public static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        let s = a.prefix(maxLength)
        let t = b.prefix(maxLength)
        let cap = max(0, limit) + 1
        if abs(s.count - t.count) >= cap { return cap }
        if s.isEmpty || t.isEmpty { return min(max(s.count, t.count), cap) }
        let width = t.count + 1
        // Three rows of the dynamic programme, on the stack: two back (for swaps), one back, and this one.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var (before, previous, current) = (0, width, 2 * width)
            for j in 0...t.count { rows[previous + j] = j }
            for i in 1...s.count {
                rows[current] = i
                var rowMinimum = i
                let si = s[s.startIndex + i - 1]
                for j in 1...t.count {
                    let tj = t[t.startIndex + j - 1]
                    var best = min(
                        rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + (si == tj ? 0 : 1))
                    if i > 1, j > 1, si == t[t.startIndex + j - 2], s[s.startIndex + i - 2] == tj {
                        best = min(best, rows[before + j - 2] + 1)
                    }
                    rows[current + j] = best
                    rowMinimum = min(rowMinimum, best)
                }
                if rowMinimum >= cap { return cap }
                (before, previous, current) = (previous, current, before)
            }
            return min(rows[previous + t.count], cap)
        }
    }
}
