import Testing

@testable import LeadgenCore

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("Jane.Doe@Acme.COM", "jane.doe@acme.com"),
        ("  jane@acme.com \t", "jane@acme.com"),
        ("mailto:jane@acme.com", "jane@acme.com"),
        ("<jane@acme.com>", "jane@acme.com"),
        ("jane+leads@acme.co.uk", "jane+leads@acme.co.uk"),
        ("o'brien@irish.ie", "o'brien@irish.ie"),
        ("first_last-1@sub.example.org", "first_last-1@sub.example.org"),
    ])
    func normalizes(raw: String, expected: String) throws {
        #expect(try EmailAddress(parsing: raw).value == expected)
    }

    @Test(arguments: [
        ("", EmailAddress.Problem.empty),
        ("   ", .empty),
        ("jane.acme.com", .missingAt),
        ("jane@@acme.com", .missingAt),
        ("jane@acme", .invalidDomain),
        ("jane@acme..com", .invalidDomain),
        ("jane@-acme.com", .invalidDomain),
        ("jane doe@acme.com", .invalidLocalPart),
        (".jane@acme.com", .invalidLocalPart),
        ("jane.@acme.com", .invalidLocalPart),
        ("ja..ne@acme.com", .invalidLocalPart),
        ("jane@acme.com.", .invalidDomain),
    ])
    func rejects(raw: String, problem: EmailAddress.Problem) {
        #expect(throws: problem) { try EmailAddress(parsing: raw) }
    }

    @Test func enforcesRFC5321Lengths() throws {
        let local64 = String(repeating: "a", count: 64)
        #expect(try EmailAddress(parsing: "\(local64)@acme.com").localPart.count == 64)
        #expect(throws: EmailAddress.Problem.localPartTooLong(65)) {
            try EmailAddress(parsing: "\(local64)a@acme.com")
        }
        let longDomain = (0..<5).map { _ in String(repeating: "d", count: 60) }.joined(separator: ".") + ".com"
        #expect(throws: EmailAddress.Problem.tooLong(longDomain.count + 5)) {
            try EmailAddress(parsing: "jane@\(longDomain)")
        }
    }

    @Test func flagsRoleAccountsAndDisposableDomains() throws {
        #expect(try EmailAddress(parsing: "Info@acme.com").isRoleAccount)
        #expect(try EmailAddress(parsing: "sales@acme.com").isRoleAccount)
        #expect(try !EmailAddress(parsing: "jane@acme.com").isRoleAccount)
        #expect(try EmailAddress(parsing: "x@mailinator.com").isDisposable)
        #expect(try !EmailAddress(parsing: "x@acme.com").isDisposable)
        #expect(try EmailAddress(parsing: "Jane@Acme.com").domain == "acme.com")
    }
}
