/// Groups records into people from their likely pairs, keeping apart the records a person said are two.
public enum LinkageClusters {
    /// Two records that must not end up in one group, as indices into the table.
    public struct Apart: Hashable, Sendable {
        public let a: Int
        public let b: Int

        public init(_ x: Int, _ y: Int) { (a, b) = x < y ? (x, y) : (y, x) }
    }

    /// The groups joined by pairs at or above `threshold`, most probable pair first, each group sorted and
    /// groups of one left out. A pair that would put two records of `apart` in one group is not followed,
    /// so a chain of likely pairs cannot join what a person kept apart.
    public static func build(
        count: Int, pairs: [RecordLinkage.Pair], threshold: Double, apart: Set<Apart>
    ) -> [[Int]] {
        var parent = Array(0..<count)
        var members = [[Int]](repeating: [], count: count)
        for index in 0..<count { members[index] = [index] }
        var partners: [Int: [Int]] = [:]
        for pair in apart where pair.a < count && pair.b < count {
            partners[pair.a, default: []].append(pair.b)
            partners[pair.b, default: []].append(pair.a)
        }
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        let ordered = pairs.filter { $0.probability >= threshold && $0.a < count && $0.b < count }
            .sorted { ($0.probability, $1.a, $1.b) > ($1.probability, $0.a, $0.b) }
        for pair in ordered {
            var (ra, rb) = (root(pair.a), root(pair.b))
            guard ra != rb else { continue }
            if members[ra].count > members[rb].count { swap(&ra, &rb) }
            let kept =
                !partners.isEmpty
                && members[ra].contains { member in
                    (partners[member] ?? []).contains { root($0) == rb }
                }
            guard !kept else { continue }
            let (low, high) = (min(ra, rb), max(ra, rb))
            parent[high] = low
            members[low] += members[high]
            members[high] = []
        }
        var groups: [[Int]] = []
        for index in 0..<count where parent[index] == index && members[index].count > 1 {
            groups.append(members[index].sorted())
        }
        return groups.sorted { $0[0] < $1[0] }
    }
}
