import Testing

@testable import LeadgenCore

@Suite struct LeadFieldTests {
    /// A lead with every stored field set, as text in canonical form.
    static let sample: [LeadField: String] = [
        .firstName: "Ada", .lastName: "Lovelace", .title: "VP Engineering", .seniority: "vp",
        .departments: "engineering, research", .email: "ada@analytical.example", .emailStatus: "verified",
        .otherEmails: "ada@home.example", .phones: "+14155550123, +442079460000",
        .linkedinURL: "https://www.linkedin.com/in/ada-lovelace", .city: "London", .state: "England",
        .country: "GB", .timeZone: "Europe/London", .owner: "Grace Hopper", .tags: "q1, vip",
        .apolloPersonID: "5f1a", .apolloContactID: "66b2",
    ]

    @Test func everyStoredFieldReadsBackWhatWasSet() throws {
        var fields = LeadFields()
        for field in LeadField.stored {
            let text = try #require(Self.sample[field], "no sample for \(field)")
            try field.set(text, in: &fields)
        }
        for field in LeadField.stored {
            #expect(field.text(in: fields) == Self.sample[field], "\(field.key)")
        }
        #expect(LeadField.fullName.text(in: fields) == "Ada Lovelace")
        #expect(fields.displayValues.count == LeadField.stored.count)
    }

    @Test func keysAndLabelsAreUnique() {
        #expect(Set(LeadField.allCases.map(\.key)).count == LeadField.allCases.count)
        #expect(Set(LeadField.allCases.map(\.label)).count == LeadField.allCases.count)
        #expect(Set(CompanyField.allCases.map(\.label)).count == CompanyField.allCases.count)
    }

    @Test func everyLabelIsAnImportHeaderForItsOwnField() {
        // A field kept under its label in the custom fields can be imported again by that header.
        for field in LeadField.stored where ![.otherEmails, .phones].contains(field) {
            #expect(LeadColumn.byHeaderKey[LeadColumn.headerKey(field.label)]?.rawValue == field.key, "\(field.label)")
        }
    }

    @Test func textIsFoldedTheSameWayForEveryFreeTextField() throws {
        var fields = LeadFields()
        for field: LeadField in [.title, .city, .state, .owner] {
            try field.set("  New \t York  ", in: &fields)
            #expect(field.text(in: fields) == "New York")
        }
        try LeadField.firstName.set("  ADA   MARIA ", in: &fields)
        #expect(fields.firstName == "Ada Maria")
    }

    @Test func blankTextClearsAndBadTextIsRefusedWithTheFieldUnchanged() throws {
        var fields = LeadFields()
        try LeadField.country.set("Germany", in: &fields)
        #expect(throws: InvalidFieldValue("'Atlantis' is not a valid country")) {
            try LeadField.country.set("Atlantis", in: &fields)
        }
        #expect(fields.country?.code == "DE")
        try LeadField.country.set("  ", in: &fields)
        #expect(fields.country == nil)
        #expect(throws: InvalidFieldValue.self) { try LeadField.email.set("not an address", in: &fields) }
        #expect(throws: InvalidFieldValue("'Mars/Olympus' is not a valid time zone")) {
            try LeadField.timeZone.set("Mars/Olympus", in: &fields)
        }
    }

    @Test func listItemsAreNormalizedDeduplicatedAndABadOneNamesItsIndex() throws {
        var fields = LeadFields()
        try LeadField.tags.set(items: ["vip", " VIP ", "", "q1"], in: &fields)
        #expect(fields.tags == ["vip", "q1"])
        try LeadField.country.set("DE", in: &fields)
        try LeadField.phones.set(items: ["030 1234567", "+49 30 1234567"], in: &fields, defaultCountry: "US")
        #expect(fields.phones.map(\.text) == ["+49301234567"])
        do {
            try LeadField.otherEmails.set(items: ["a@b.example", "nope"], in: &fields)
            Issue.record("a bad address was accepted")
        } catch {
            #expect(error.index == 1)
        }
        #expect(fields.otherEmails.isEmpty)
    }

    @Test func companyFieldsParseCountsMoneyAndPhonesInTheirCountry() throws {
        var company = CompanyFields()
        try CompanyField.employeeCount.set("1,200", in: &company)
        try CompanyField.annualRevenue.set("$1.2M", in: &company)
        try CompanyField.phone.set("030 1234567", in: &company, defaultCountry: "DE")
        try CompanyField.domain.set("https://www.Acme.example/about", in: &company)
        #expect(company.employeeCount == 1200)
        #expect(company.annualRevenue == 1_200_000)
        #expect(company.phone == "+49301234567")
        #expect(CompanyField.domain.text(in: company) == "acme.example")
        #expect(throws: InvalidFieldValue("'about fifty' is not a valid number of employees")) {
            try CompanyField.employeeCount.set("about fifty", in: &company)
        }
    }
}
