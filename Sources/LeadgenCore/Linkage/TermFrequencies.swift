import Foundation

/// How common each value of the term-frequency fields is, to weigh an agreement on a common surname less
/// than one on a rare surname: the u of an exact match becomes the value's share of the records.
struct TermFrequencies: Sendable {
    /// Per term-frequency field, each distinct value's share of the records that have the field.
    private let shares: [(field: Int, top: Int, share: [Double])]
    private let table: LinkageTable

    init(table: LinkageTable) {
        self.table = table
        var shares: [(Int, Int, [Double])] = []
        for (index, field) in table.fields.enumerated() where field.termFrequency {
            var counts = [Int](repeating: 0, count: table.distinctValues(index))
            var present = 0
            for record in 0..<table.count {
                let code = table.code(index, record)
                guard code >= 0 else { continue }
                counts[Int(code)] += 1
                present += 1
            }
            let total = Double(max(present, 1))
            shares.append((index, field.comparison.levels - 1, counts.map { Double($0) / total }))
        }
        self.shares = shares
    }

    /// What to add to a pair's weight: for each term-frequency field that matched exactly, log(u / share).
    func adjustment(_ vector: ComparisonVector, _ record: Int, model: FellegiSunter) -> Double {
        var total = 0.0
        for (field, top, share) in shares where vector.level(field) == top {
            let code = table.code(field, record)
            guard code >= 0 else { continue }
            total += log(max(model.u[field][top], 1e-12) / max(share[Int(code)], 1e-12))
        }
        return total
    }
}
