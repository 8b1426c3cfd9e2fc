import LeadgenCore
import Testing

/// Clusters follow the likeliest pairs first and never join two records a person kept apart.
@Suite struct LinkageClustersTests {
    static func pair(_ a: Int, _ b: Int, _ probability: Double) -> RecordLinkage.Pair {
        RecordLinkage.Pair(a: a, b: b, probability: probability, vector: ComparisonVector())
    }

    @Test func pairsAboveTheThresholdJoinTheirComponents() {
        let pairs = [Self.pair(0, 1, 0.99), Self.pair(1, 2, 0.95), Self.pair(3, 4, 0.5), Self.pair(5, 6, 0.92)]
        #expect(LinkageClusters.build(count: 7, pairs: pairs, threshold: 0.9, apart: []) == [[0, 1, 2], [5, 6]])
        #expect(RecordLinkage.clusters(count: 7, pairs: pairs, threshold: 0.9) == [[0, 1, 2], [5, 6]])
    }

    @Test func aChainCannotJoinWhatWasKeptApart() {
        // 0–1 and 1–2 are likely, but 0 and 2 are two people: 1 goes with the likelier of them.
        let pairs = [Self.pair(1, 2, 0.93), Self.pair(0, 1, 0.99)]
        let apart: Set = [LinkageClusters.Apart(2, 0)]
        #expect(LinkageClusters.build(count: 3, pairs: pairs, threshold: 0.9, apart: apart) == [[0, 1]])
        // Kept apart through larger groups too: 4 would join 0's group through 3, so it stays alone.
        let more = [Self.pair(0, 1, 0.99), Self.pair(2, 3, 0.98), Self.pair(1, 2, 0.97), Self.pair(3, 4, 0.96)]
        let groups = LinkageClusters.build(count: 5, pairs: more, threshold: 0.9, apart: [.init(0, 4)])
        #expect(groups == [[0, 1, 2, 3]])
        // Had 3–4 been likelier than 1–2, the groups would have split the other way.
        let other = [Self.pair(0, 1, 0.99), Self.pair(2, 3, 0.98), Self.pair(1, 2, 0.95), Self.pair(3, 4, 0.96)]
        let split = LinkageClusters.build(count: 5, pairs: other, threshold: 0.9, apart: [.init(0, 4)])
        #expect(split == [[0, 1], [2, 3, 4]])
    }

    @Test func outOfRangeIndicesAreIgnored() {
        let pairs = [Self.pair(0, 9, 0.99), Self.pair(0, 1, 0.99)]
        #expect(LinkageClusters.build(count: 2, pairs: pairs, threshold: 0.9, apart: [.init(0, 7)]) == [[0, 1]])
    }
}
