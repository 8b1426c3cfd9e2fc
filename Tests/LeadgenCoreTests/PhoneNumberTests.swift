import Testing

@testable import LeadgenCore

@Suite struct PhoneNumberTests {
    @Test(
        arguments: [
            // North America, every way it is written
            ("(415) 555-0123", "US", "+14155550123"),
            ("415.555.0123", "US", "+14155550123"),
            ("1-415-555-0123", "US", "+14155550123"),
            ("+1 415 555 0123", nil, "+14155550123"),
            ("'+1 415-555-0123", "US", "+14155550123"),
            ("415-555-0123 ext. 12", "US", "+14155550123"),
            ("415-555-0123 x12", "US", "+14155550123"),
            ("tel:+14155550123", nil, "+14155550123"),
            ("(604) 555-0199", "CA", "+16045550199"),
            ("011 44 20 7946 0958", "US", "+442079460958"),
            // United Kingdom
            ("020 7946 0958", "GB", "+442079460958"),
            ("07700 900123", "GB", "+447700900123"),
            ("+44 (0) 20 7946 0958", "US", "+442079460958"),
            ("0044 20 7946 0958", "GB", "+442079460958"),
            // Germany
            ("030 1234567", "DE", "+49301234567"),
            ("0151 23456789", "DE", "+4915123456789"),
            ("+49 (0)30 1234567", nil, "+49301234567"),
            // France
            ("01 23 45 67 89", "FR", "+33123456789"),
            ("06.12.34.56.78", "FR", "+33612345678"),
            ("+33 6 12 34 56 78", "DE", "+33612345678"),
            // Anything already in + form
            ("+81 3-1234-5678", "US", "+81312345678"),
            ("+91 98765 43210", nil, "+919876543210"),
        ] as [(String, String?, String)])
    func normalizesToE164(raw: String, country: String?, expected: String) throws {
        let number = try PhoneNumber(parsing: raw, defaultCountry: country)
        #expect(number.e164 == expected)
    }

    @Test func keepsTheRawText() throws {
        #expect(
            try PhoneNumber(parsing: " (415) 555-0123 ext. 12 ", defaultCountry: "US").raw == "(415) 555-0123 ext. 12")
    }

    @Test(
        arguments: [
            ("", "US", PhoneNumber.Problem.empty),
            ("n/a", "US", .noDigits("n/a")),
            ("555-0123", "US", .invalidLength("555-0123")),
            ("(015) 555-0123", "US", .invalidLength("(015) 555-0123")),
            ("+1 415 555 012", nil, .invalidLength("+1 415 555 012")),
            ("+33 6 12 34 56", nil, .invalidLength("+33 6 12 34 56")),
            ("+12", nil, .invalidLength("+12")),
            ("0612345678", "JP", .unknownCountry("0612345678")),
            ("0612345678", nil, .unknownCountry("0612345678")),
        ] as [(String, String?, PhoneNumber.Problem)])
    func rejects(raw: String, country: String?, problem: PhoneNumber.Problem) {
        #expect(throws: problem) { try PhoneNumber(parsing: raw, defaultCountry: country) }
    }
}
