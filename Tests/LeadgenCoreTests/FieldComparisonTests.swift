import LeadgenCore
import Testing

/// Each kind of field comparison: how it normalizes a value and the level it gives a pair.
@Suite struct FieldComparisonTests {
    @Test func editDistanceCountsSwapsAsOneEdit() {
        #expect(EditDistance.distance("19560409", "19560490", limit: 2) == 1, "a swap of neighbours")
        #expect(EditDistance.distance("1804974", "1804974", limit: 2) == 0)
        #expect(EditDistance.distance("1804974", "180497", limit: 2) == 1)
        #expect(EditDistance.distance("kitten", "sitting", limit: 5) == 3)
        #expect(EditDistance.distance("kitten", "sitting", limit: 2) == 3, "more than the limit is limit + 1")
        #expect(EditDistance.distance("", "abc", limit: 5) == 3)
        #expect(EditDistance.distance("abc", "abcdefgh", limit: 2) == 3)
        let long = String(repeating: "7", count: 100_000)
        #expect(EditDistance.distance(long, long + "8", limit: 2) == 0, "compared by their first 64 characters")
    }

    @Test func valuesAreNormalizedByKind() {
        #expect(FieldComparison.name.normalize("O'Brien-Smith ") == "obriensmith")
        #expect(FieldComparison.text.normalize("Pridham  Street, 4") == "pridhamstreet4")
        #expect(FieldComparison.code.normalize(" 2119 ") == "2119")
        #expect(FieldComparison.date.normalize("1956-04-09") == "19560409")
        #expect(FieldComparison.exact.normalize("  NSW ") == "nsw")
        #expect(FieldComparison.name.normalize("  -- ") == nil)
        #expect(FieldComparison.date.normalize("unknown") == nil)
    }

    @Test func levelsRankHowCloseTwoValuesAre() {
        #expect(FieldComparison.name.level("robert", "robert") == 3)
        #expect(FieldComparison.name.level("bob", "robert") == 2, "a nickname")
        #expect(FieldComparison.name.level("jonathon", "jonathan") == 2)
        #expect(FieldComparison.name.level("dwayne", "duane") == 1, "Jaro-Winkler 0.84")
        #expect(FieldComparison.name.level("robert", "margaret") == 0)
        #expect(FieldComparison.text.level("bob", "robert") == 0, "nicknames are for names only")
        #expect(FieldComparison.code.level("1804974", "1804947") == 2)
        #expect(FieldComparison.code.level("1804974", "1804900") == 1)
        #expect(FieldComparison.code.level("1804974", "9999999") == 0)
        #expect(FieldComparison.date.level("19560409", "19560904") == 2, "day and month swapped")
        #expect(FieldComparison.date.level("19560409", "19570409") == 2)
        #expect(FieldComparison.exact.level("nsw", "vic") == 0)
        #expect(FieldComparison.exact.level("nsw", "nsw") == 1)
    }

    @Test func aVectorDescribesTheFieldsThatAgree() throws {
        let fields: [LinkageSettings.Field] = [
            .init("given_name", .name), .init("surname", .name), .init("dob", .date),
        ]
        var table = LinkageTable(fields: fields)
        table.append(id: "a", values: ["Bob", "Smith", "19560409"])
        table.append(id: "b", values: ["Robert", "Smith", nil])
        let vector = table.compare(0, 1)
        #expect(vector.level(0) == 2 && vector.level(1) == 3 && vector.level(2) == nil)
        #expect(vector.agreements(fields) == ["given_name similar", "surname equal"])
    }
}
