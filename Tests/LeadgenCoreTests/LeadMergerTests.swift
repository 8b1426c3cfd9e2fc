import Testing

@testable import LeadgenCore

@Suite struct LeadMergerTests {
    func fields(_ build: (inout LeadFields) -> Void) -> LeadFields {
        var f = LeadFields()
        build(&f)
        return f
    }

    @Test func fillsEmptyFieldsAndRecordsEachChange() throws {
        let stored = fields {
            $0.firstName = "Jane"; $0.email = try? EmailAddress(parsing: "jane@acme.com")
        }
        let incoming = fields {
            $0.firstName = "Jane"; $0.title = "CEO"; $0.city = "Austin"
        }
        let (merged, changes) = LeadMerger().merge(incoming, into: stored)
        #expect(merged.title == "CEO")
        #expect(merged.city == "Austin")
        #expect(merged.email?.value == "jane@acme.com")
        #expect(
            changes == [
                FieldChange(field: "title", oldValue: nil, newValue: "CEO"),
                FieldChange(field: "city", oldValue: nil, newValue: "Austin"),
            ])
    }

    @Test func newerSourceWinsAndTheOldValueIsKeptInTheChange() {
        let (merged, changes) = LeadMerger().merge(
            fields { $0.title = "VP Sales" }, into: fields { $0.title = "Director" })
        #expect(merged.title == "VP Sales")
        #expect(changes == [FieldChange(field: "title", oldValue: "Director", newValue: "VP Sales")])
    }

    @Test func keepExistingOnlyFills() {
        let merger = LeadMerger(policy: .keepExisting)
        let (merged, changes) = merger.merge(
            fields {
                $0.title = "VP"; $0.city = "Paris"
            }, into: fields { $0.title = "Director" })
        #expect(merged.title == "Director")
        #expect(merged.city == "Paris")
        #expect(changes.map(\.field) == ["city"])
    }

    @Test func aReplacedEmailStaysAmongTheOtherEmails() throws {
        let old = try EmailAddress(parsing: "jane@old.com")
        let new = try EmailAddress(parsing: "jane@new.com")
        let (merged, _) = LeadMerger().merge(fields { $0.email = new }, into: fields { $0.email = old })
        #expect(merged.email == new)
        #expect(merged.otherEmails == [old])
        #expect(merged.matchKeys.contains(MatchKey(kind: .email, value: "jane@old.com")))
    }

    @Test func listsAreUnioned() {
        let stored = fields {
            $0.tags = ["West"]
            $0.phones = [LeadPhone(kind: .mobile, e164: "+14155550123", raw: "415 555 0123")]
        }
        let incoming = fields {
            $0.tags = ["west", "Q3"]
            $0.phones = [
                LeadPhone(kind: .mobile, e164: "+14155550123", raw: "(415) 555-0123"),
                LeadPhone(kind: .corporate, e164: "+14155550100", raw: "415-555-0100"),
            ]
        }
        let (merged, changes) = LeadMerger().merge(incoming, into: stored)
        #expect(merged.tags == ["West", "Q3"])
        #expect(merged.phones.map(\.e164) == ["+14155550123", "+14155550100"])
        #expect(changes.map(\.field) == ["phones", "tags"])
    }

    @Test func mergingTheSameRecordAgainChangesNothing() {
        let record = fields {
            $0.firstName = "Jane"; $0.tags = ["a"]; $0.customFields = ["k": "v"]
        }
        let (once, _) = LeadMerger().merge(record, into: LeadFields())
        let (twice, changes) = LeadMerger().merge(record, into: once)
        #expect(twice == once)
        #expect(changes.isEmpty)
    }

    @Test func matchKeysIncludeEveryIdentity() throws {
        let lead = fields {
            $0.apolloPersonID = "p1"
            $0.email = try? EmailAddress(parsing: "a@b.co")
            $0.linkedinURL = try? LinkedInURL(parsing: "linkedin.com/in/jane")
            $0.lastName = "Doe"
            $0.phones = [
                LeadPhone(kind: .mobile, e164: "+14155550123", raw: "x"), LeadPhone(kind: .other, e164: nil, raw: "y"),
            ]
        }
        #expect(lead.matchKeys.map(\.kind) == [.apolloPerson, .email, .linkedin, .phoneAndLastName])
        #expect(lead.matchKeys.last?.value == "+14155550123|doe")
    }

    @Test func companiesMergeTheSameWay() throws {
        var stored = CompanyFields()
        stored.name = "Acme"
        var incoming = CompanyFields()
        incoming.domain = try Domain(parsing: "acme.com")
        incoming.employeeCount = 50
        let (merged, changes) = LeadMerger().merge(incoming, into: stored)
        #expect(merged.name == "Acme")
        #expect(merged.domain?.value == "acme.com")
        #expect(changes.map(\.field) == ["domain", "employee_count"])
    }
}

@Suite struct FingerprintTests {
    @Test func equalRecordsShareAFingerprintAndAnyDifferenceChangesIt() throws {
        var a = LeadInput()
        a.fields.email = try EmailAddress(parsing: "a@b.co")
        a.fields.title = "CEO"
        var b = a
        #expect(a.fingerprint == b.fingerprint)
        b.fields.title = "CTO"
        #expect(a.fingerprint != b.fingerprint)
        var c = a
        c.fields.title = nil
        c.fields.city = "CEO"
        #expect(a.fingerprint != c.fingerprint)
        var d = a
        d.fields.title = "CEO\n"
        #expect(a.fingerprint != d.fingerprint)
        var e = a
        e.status = .new
        #expect(a.fingerprint != e.fingerprint)
    }
}

@Suite struct PhoneMatchKeyTests {
    @Test func aSharedCorporateNumberIdentifiesNobody() {
        var colleague = LeadFields()
        colleague.lastName = "Smith"
        colleague.phones = [LeadPhone(kind: .corporate, e164: "+14155550100", raw: "415 555 0100")]
        #expect(colleague.matchKeys.isEmpty)
        colleague.phones.append(LeadPhone(kind: .mobile, e164: "+14155550123", raw: "415 555 0123"))
        #expect(colleague.matchKeys == [MatchKey(kind: .phoneAndLastName, value: "+14155550123|smith")])
    }
}
