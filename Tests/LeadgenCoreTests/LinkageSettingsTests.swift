import Foundation
import LeadgenCore
import Testing

/// Linkage settings as users write them: what is accepted, and the message for what is not.
@Suite struct LinkageSettingsTests {
    @Test func settingsAreReadFromJSON() throws {
        let json = """
            {"fields": [{"name": "given_name", "comparison": "name", "term_frequency": true},
                        {"name": "surname", "comparison": "name"}, {"name": "dob", "comparison": "date"}],
             "blocking_rules": [["soundex(surname)", "first(given_name, 1)"], ["dob"], ["last( dob , 4)"]],
             "threshold": 0.95, "max_block_size": 50}
            """
        let settings = try LinkageSettings(json: Data(json.utf8))
        #expect(settings.fields.map(\.name) == ["given_name", "surname", "dob"])
        #expect(settings.fields[0].termFrequency && !settings.fields[1].termFrequency)
        #expect(settings.threshold == 0.95 && settings.maxBlockSize == 50 && settings.randomPairs == 1_000_000)
        #expect(
            settings.blockingRules.map(\.text) == ["soundex(surname) & first(given_name, 1)", "dob", "last( dob , 4)"])
        #expect(
            settings.blockingRules[0].parts == [
                .init(field: 1, transform: .soundex), .init(field: 0, transform: .first(1)),
            ])
        #expect(settings.blockingRules[2].parts == [.init(field: 2, transform: .last(4))])
    }

    @Test func mistakesAreNamed() {
        let cases: [(String, String)] = [
            ("{", "not valid JSON"),
            (#"{"blocking_rules": [["a"]]}"#, "missing 'fields'"),
            (
                #"{"fields": [{"name": "a", "comparison": "fuzzy"}], "blocking_rules": [["a"]]}"#,
                "fields[0].comparison: not an accepted value"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}], "blocking_rules": [["b"]]}"#,
                "blocking rule part 'b' names no field 'b'"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}], "blocking_rules": [["first(a, 0)"]]}"#,
                "blocking rule part 'first(a, 0)' needs a length from 1 to 64"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}], "blocking_rules": [["metaphone(a)"]]}"#,
                "blocking rule part 'metaphone(a)' is not a field, soundex(field), first(field, n), last(field, n) "
                    + "or soundex_any(field, field)"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "name"}, {"name": "b", "comparison": "name"}], "blocking_rules": [["soundex_any(a, b)", "soundex_any(b, a)"]]}"#,
                "a blocking rule has at most one soundex_any part"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "name"}, {"name": "b", "comparison": "exact"}], "blocking_rules": [["a"]], "swappable_fields": [["a", "b"]]}"#,
                "swappable_fields: 'a' and 'b' are compared differently"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "name"}], "blocking_rules": [["a"]], "swappable_fields": [["a", "a"]]}"#,
                "swappable_fields: each entry names two different fields"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}, {"name": "a", "comparison": "text"}], "blocking_rules": [["a"]]}"#,
                "field 'a' is named twice"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}], "blocking_rules": []}"#,
                "settings need one to 20 blocking rules, not 0"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}], "blocking_rules": [["a"]], "threshold": 1}"#,
                "threshold must be between 0 and 1"
            ),
            (
                #"{"fields": [{"name": "a", "comparison": "exact"}], "blocking_rules": [[]]}"#,
                "a blocking rule has one to four parts, not 0"
            ),
        ]
        for (json, message) in cases {
            #expect(throws: LinkageSettingsError(message), "\(json)") { try LinkageSettings(json: Data(json.utf8)) }
        }
        let seventeen = (0..<17).map { LinkageSettings.Field("f\($0)", .exact) }
        #expect(throws: LinkageSettingsError("settings need one to 16 fields, not 17")) {
            try LinkageSettings(fields: seventeen, blockingRules: [["f0"]])
        }
    }

    @Test func leadSettingsAreValid() throws {
        let settings = try LeadLinkage.settings()
        #expect(settings.fields.count == LeadLinkage.fields.count)
        #expect(settings.blockingRules.count == LeadLinkage.blockingRules.count)
    }
}
