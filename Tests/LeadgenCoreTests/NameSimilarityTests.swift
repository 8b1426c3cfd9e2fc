import Foundation
import LeadgenCore
import Testing

/// The string measures record linkage compares names with, against their published values.
@Suite struct NameSimilarityTests {
    @Test func jaroWinklerMatchesThePublishedValues() {
        // Winkler's examples, as every implementation's tests use them.
        #expect(abs(JaroWinkler.similarity("MARTHA", "MARHTA") - 0.961) < 0.001)
        #expect(abs(JaroWinkler.similarity("DWAYNE", "DUANE") - 0.840) < 0.001)
        #expect(abs(JaroWinkler.similarity("DIXON", "DICKSONX") - 0.813) < 0.001)
        #expect(JaroWinkler.similarity("same", "same") == 1)
        #expect(JaroWinkler.similarity("", "") == 1)
        #expect(JaroWinkler.similarity("abc", "") == 0)
        #expect(JaroWinkler.similarity("abc", "xyz") == 0)
        let long = String(repeating: "a", count: 100_000)
        #expect(JaroWinkler.similarity(long, long + "b") == 1, "compared by their first 64 characters")
    }

    @Test func soundexMatchesTheStandardExamples() {
        let examples = [
            "Robert": "R163", "Rupert": "R163", "Rubin": "R150", "Ashcraft": "A261", "Ashcroft": "A261",
            "Tymczak": "T522", "Pfister": "P236", "Honeyman": "H555", "Lee": "L000", "O'Brien": "O165",
        ]
        for (name, code) in examples { #expect(Soundex.code(name) == code, "\(name)") }
        #expect(Soundex.code("") == nil)
        #expect(Soundex.code("12 – 34") == nil)
    }

    @Test func nicknamesMeetTheirFormalNames() {
        #expect(Nicknames.same("Bob", "robert"))
        #expect(Nicknames.same("bill", "will"), "both short for William")
        #expect(!Nicknames.same("bob", "richard"))
        #expect(Nicknames.same("ada", "ada"))
    }
}
