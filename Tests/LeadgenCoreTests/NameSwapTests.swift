import Testing

@testable import LeadgenCore

/// A record with given name and surname the wrong way round is still compared, and found, as its person.
@Suite struct NameSwapTests {
    static let fields: [LinkageSettings.Field] = [.init("first", .name), .init("last", .name), .init("city", .exact)]

    @Test func swappedNamesCompareCrossedWhenThatAgreesBetter() throws {
        var table = LinkageTable(fields: Self.fields)
        table.append(id: "a", values: ["Patricia", "Tennant", "London"])
        table.append(id: "b", values: ["Tennant", "Trish", "London"])
        table.append(id: "c", values: ["Patricia", "Tenant", "London"])
        let swaps = [LinkageSettings.Swap(first: 0, second: 1)]
        let crossed = table.compare(0, 1, swaps: swaps)
        #expect(crossed.level(0) == 2 && crossed.level(1) == 3, "nickname similar, surname equal")
        #expect(table.compare(0, 1).level(0) == 0, "without swaps the fields are compared straight")
        // Straight is kept when it agrees at least as well.
        let straight = table.compare(0, 2, swaps: swaps)
        #expect(straight.level(0) == 3 && straight.level(1) == table.compare(0, 2).level(1))
    }

    @Test func soundexAnyPutsARecordInABlockForEachName() throws {
        let rule = try BlockingRule(parts: ["city", "soundex_any(first, last)"], fields: Self.fields.map(\.name))
        var table = LinkageTable(fields: Self.fields)
        table.append(id: "a", values: ["Anthony", "Shellow", "London"])
        table.append(id: "b", values: ["Sheslow", "Anthony", "London"])  // swapped, surname misspelt
        table.append(id: "c", values: ["Antony", "Antony", "London"])  // both names sound alike: one key
        table.append(id: "d", values: ["Anthony", "Shellow", "Paris"])
        #expect(rule.keys(table, 0).count == 2 && rule.keys(table, 2).count == 1)
        let blocks = LinkageBlocks(rule: rule, table: table, maxSize: 10)
        var pairs: [[Int]] = []
        blocks.forEachPair { pairs.append([$0, $1]) }
        #expect(pairs.sorted { $0.lexicographicallyPrecedes($1) } == [[0, 1], [0, 2], [1, 2]], "each pair once")
        #expect(blocks.together(0, 1) && !blocks.together(0, 3))
    }

    @Test func aMailboxCountsOnlyForWhatItSaysBeyondTheName() {
        #expect(LeadLinkage.mailboxName("ada.lovelace", first: "Ada", last: "Lovelace") == nil)
        #expect(LeadLinkage.mailboxName("alovelace", first: "Ada", last: "Lovelace") == nil)
        #expect(LeadLinkage.mailboxName("lovelace.a2", first: "Ada", last: "Lovelace") == nil, "too little left")
        #expect(LeadLinkage.mailboxName("countess.ada1815", first: "Ada", last: "Lovelace") == "countess.1815")
        #expect(LeadLinkage.mailboxName("sales", first: nil, last: nil) == "sales")
    }
}
