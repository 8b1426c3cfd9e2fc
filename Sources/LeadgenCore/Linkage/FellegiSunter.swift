import Foundation

/// The Fellegi-Sunter model of record linkage: for each field and agreement level, how likely that level is
/// among pairs of the same entity (m) and among pairs of different ones (u), and how likely two records
/// picked at random are the same entity (λ). Estimated without labels as splink does: u from random pairs,
/// m by expectation-maximisation within each blocking rule's pairs, λ by EM over every candidate pair.
public struct FellegiSunter: Sendable, Equatable {
    public var lambda: Double
    /// m[field][level] and u[field][level].
    public var m: [[Double]]
    public var u: [[Double]]

    /// How many pairs the starting m is worth when EM updates it, so a level no pair shows keeps a little.
    static let priorPairs = 10.0

    /// A starting point EM moves from: agreement likely among matches and rare among non-matches.
    public init(levels: [Int]) {
        lambda = 1e-4
        m = levels.map { $0 == 2 ? [0.2, 0.8] : [0.05, 0.05, 0.1, 0.8] + Array(repeating: 0, count: max(0, $0 - 4)) }
        u = levels.map {
            $0 == 2 ? [0.9, 0.1] : [0.85, 0.08, 0.05, 0.02] + Array(repeating: 0, count: max(0, $0 - 4))
        }
    }

    /// Comparison vectors and how many pairs compared that way.
    public typealias Counts = [ComparisonVector: Double]

    /// The pairs one blocking rule proposed, counted by vector, and the fields that rule blocked on (their
    /// m cannot be learnt from these pairs: every pair agrees on them by construction).
    public struct TrainingSet: Sendable {
        public var counts: Counts
        public var blocked: Set<Int>

        public init(counts: Counts, blocked: Set<Int>) {
            self.counts = counts
            self.blocked = blocked
        }
    }

    /// Fits the model. `random` counts the vectors of random pairs (nearly all different entities);
    /// `candidates` those of every candidate pair, each once; `totalPairs` is how many pairs of records
    /// there are in all (pairs no rule proposed are taken as different entities).
    public static func estimate(
        levels: [Int], training: [TrainingSet], random: Counts, candidates: Counts, totalPairs: Double,
        iterations: Int
    ) -> FellegiSunter {
        var model = FellegiSunter(levels: levels)
        let fields = levels.indices
        if !random.isEmpty {
            var counts = levels.map { [Double](repeating: 0.5, count: $0) }
            for (vector, count) in random.sorted(by: { $0.key.bits < $1.key.bits }) {
                for field in fields {
                    if let level = vector.level(field), level < levels[field] { counts[field][level] += count }
                }
            }
            model.u = counts.map { row in row.map { $0 / row.reduce(0, +) } }
        }
        let rounds = max(1, min(iterations, 1000))
        let start = model.m
        var learnt = levels.map { [Double](repeating: 0, count: $0) }
        var weights = [Double](repeating: 0, count: levels.count)
        for set in training where !set.counts.isEmpty {
            // In a fixed order, so sums come out the same in every process (dictionary order is not).
            let vectors = set.counts.sorted { $0.key.bits < $1.key.bits }
            var local = model
            local.lambda = 0.5
            var expected = 0.0
            let total = vectors.reduce(0) { $0 + $1.value }
            for _ in 0..<rounds {
                var matches = 0.0
                var counts = start.map { row in row.map { $0 * priorPairs } }
                for (vector, count) in vectors {
                    let p = local.probability(vector, ignoring: set.blocked) * count
                    matches += p
                    for field in fields where !set.blocked.contains(field) {
                        guard let level = vector.level(field), level < levels[field] else { continue }
                        counts[field][level] += p
                    }
                }
                var next = local
                next.lambda = min(max(matches / total, 1e-9), 1 - 1e-9)
                next.m = counts.map { row in row.map { $0 / row.reduce(0, +) } }
                let moved = zip(next.m, local.m).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
                local = next
                expected = matches
                if moved < 1e-6 { break }
            }
            for field in fields where !set.blocked.contains(field) {
                for level in 0..<levels[field] { learnt[field][level] += local.m[field][level] * expected }
                weights[field] += expected
            }
        }
        for field in fields where weights[field] > 0 { model.m[field] = learnt[field].map { $0 / weights[field] } }
        // λ over all pairs of records, from every candidate's posterior.
        let candidates = candidates.sorted { $0.key.bits < $1.key.bits }
        let candidateCount = candidates.reduce(0) { $0 + $1.value }
        let total = max(totalPairs, candidateCount, 1)
        model.lambda = min(max(candidateCount / total * 0.1, 1e-12), 0.5)
        for _ in 0..<rounds {
            let expected = candidates.reduce(0.0) { $0 + model.probability($1.key) * $1.value }
            let next = min(max(expected / total, 1e-12), 0.5)
            let done = abs(next - model.lambda) <= model.lambda * 1e-6
            model.lambda = next
            if done { break }
        }
        return model
    }

    /// The log-odds that the pair is one entity: the prior's and each present field's log(m/u), leaving out
    /// the `ignoring` fields.
    public func weight(_ vector: ComparisonVector, ignoring: Set<Int> = []) -> Double {
        var total = log(lambda / (1 - lambda))
        for field in m.indices where !ignoring.contains(field) {
            guard let level = vector.level(field), level < m[field].count else { continue }
            total += log(max(m[field][level], 1e-12) / max(u[field][level], 1e-12))
        }
        return total
    }

    public func probability(_ vector: ComparisonVector, ignoring: Set<Int> = []) -> Double {
        Self.probability(weight: weight(vector, ignoring: ignoring))
    }

    static func probability(weight: Double) -> Double { 1 / (1 + exp(-min(max(weight, -700), 700))) }
}
