/// Finds the records that are the same entity: blocks records that share a cheap key, compares the pairs
/// inside each block, fits a Fellegi-Sunter model to them without labels, scores every pair with term-
/// frequency adjusted weights, and joins the pairs above the threshold into clusters.
public struct RecordLinkage: Sendable {
    public let settings: LinkageSettings

    public init(settings: LinkageSettings) { self.settings = settings }

    /// A scored candidate pair: the records' positions (the smaller first), the match probability and how
    /// the records compared.
    public struct Pair: Sendable, Equatable {
        public var a: Int
        public var b: Int
        public var probability: Double
        public var vector: ComparisonVector

        public init(a: Int, b: Int, probability: Double, vector: ComparisonVector) {
            self.a = a
            self.b = b
            self.probability = probability
            self.vector = vector
        }
    }

    public struct Result: Sendable {
        /// The pairs at or above the minimum probability asked for, most likely first.
        public var pairs: [Pair]
        public var model: FellegiSunter
        /// How many distinct pairs the blocking rules proposed.
        public var candidates: Int
    }

    /// Links `table`'s records, keeping the pairs whose probability is at least `minimumProbability`.
    ///
    /// Candidate pairs are not kept: a first pass over the blocks counts how the pairs compare (all the model
    /// needs), a second compares the candidates again and keeps only those that pass, so memory grows with
    /// the records and the pairs found, not with the candidates.
    public func link(_ table: LinkageTable, minimumProbability: Double) -> Result {
        let blocks = settings.blockingRules.map {
            LinkageBlocks(rule: $0, table: table, maxSize: settings.maxBlockSize)
        }
        // A pair is a candidate of the first rule that proposes it, so each is counted and scored once.
        func firstProposed(_ rule: Int, _ a: Int, _ b: Int) -> Bool {
            !blocks[..<rule].contains { $0.together(a, b) }
        }
        var training: [FellegiSunter.TrainingSet] = []
        var candidateCounts: FellegiSunter.Counts = [:]
        var candidates = 0
        for (index, rule) in blocks.enumerated() {
            var counts: FellegiSunter.Counts = [:]
            rule.forEachPair { a, b in
                let vector = table.compare(a, b, swaps: settings.swaps)
                counts[vector, default: 0] += 1
                guard firstProposed(index, a, b) else { return }
                candidateCounts[vector, default: 0] += 1
                candidates += 1
            }
            training.append(FellegiSunter.TrainingSet(counts: counts, blocked: rule.rule.fields))
        }
        let n = Double(table.count)
        // More random pairs than there are pairs would only repeat them.
        let randomPairs = Int(min(Double(settings.randomPairs), n * (n - 1) / 2))
        var random: FellegiSunter.Counts = [:]
        Self.forEachRandomPair(table.count, count: randomPairs) {
            random[table.compare($0, $1, swaps: settings.swaps), default: 0] += 1
        }
        let model = FellegiSunter.estimate(
            levels: settings.fields.map(\.comparison.levels), training: training, random: random,
            candidates: candidateCounts, totalPairs: n * (n - 1) / 2, iterations: settings.maxIterations)
        let frequencies = TermFrequencies(table: table)
        var weights = [ComparisonVector: Double](minimumCapacity: candidateCounts.count)
        for vector in candidateCounts.keys { weights[vector] = model.weight(vector) }
        var pairs: [Pair] = []
        for (index, rule) in blocks.enumerated() {
            rule.forEachPair { a, b in
                guard firstProposed(index, a, b) else { return }
                let vector = table.compare(a, b, swaps: settings.swaps)
                let weight = (weights[vector] ?? model.weight(vector)) + frequencies.adjustment(vector, a, model: model)
                let probability = FellegiSunter.probability(weight: weight)
                guard probability >= minimumProbability else { return }
                pairs.append(Pair(a: a, b: b, probability: probability, vector: vector))
            }
        }
        pairs.sort { $0.probability != $1.probability ? $0.probability > $1.probability : ($0.a, $0.b) < ($1.a, $1.b) }
        return Result(pairs: pairs, model: model, candidates: candidates)
    }

    /// `count` pairs of distinct records spread over them by a fixed sequence, so a run over the same records
    /// gives the same model.
    static func forEachRandomPair(_ records: Int, count: Int, _ body: (Int, Int) -> Void) {
        guard records > 1 else { return }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(records))
        }
        var made = 0
        while made < count {
            let (a, b) = (next(), next())
            guard a != b else { continue }
            body(a, b)
            made += 1
        }
    }

    /// The groups of records joined by pairs at or above the threshold (connected components), each sorted,
    /// groups of one left out.
    public static func clusters(count: Int, pairs: [Pair], threshold: Double) -> [[Int]] {
        LinkageClusters.build(count: count, pairs: pairs, threshold: threshold, apart: [])
    }
}
