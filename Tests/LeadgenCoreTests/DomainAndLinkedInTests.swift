import Testing

@testable import LeadgenCore

@Suite struct DomainTests {
    @Test(arguments: [
        ("acme.com", "acme.com"),
        ("ACME.COM", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("http://www.acme.com", "acme.com"),
        ("https://Acme.com/about-us?ref=1#team", "acme.com"),
        ("https://www.acme.co.uk:8443/", "acme.co.uk"),
        ("acme.com.", "acme.com"),
        ("jane@acme.com", "acme.com"),
        ("blog.acme.io/path", "blog.acme.io"),
    ])
    func normalizes(raw: String, expected: String) throws {
        #expect(try Domain(parsing: raw).value == expected)
    }

    @Test(arguments: ["", "acme", "http://", "acme .com", "-acme.com", "acme.c"])
    func rejects(raw: String) {
        #expect(throws: Domain.Problem.self) { try Domain(parsing: raw) }
    }

    @Test func knowsFreeMailProviders() throws {
        #expect(try Domain(parsing: "gmail.com").isFreeMailProvider)
        #expect(try !Domain(parsing: "acme.com").isFreeMailProvider)
    }
}

@Suite struct LinkedInURLTests {
    @Test(arguments: [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("http://linkedin.com/in/Jane-Doe/", "https://www.linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("www.linkedin.com/in/jane-doe?trk=public_profile", "https://www.linkedin.com/in/jane-doe"),
        ("https://uk.linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/jane-doe"),
        ("https://de.linkedin.com/in/jane-doe/de", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/in/jane%2Ddoe#about", "https://www.linkedin.com/in/jane-doe"),
        ("HTTPS://WWW.LINKEDIN.COM/COMPANY/ApolloIO/", "https://www.linkedin.com/company/apolloio"),
        ("http://www.linkedin.com/company/apolloio/about/", "https://www.linkedin.com/company/apolloio"),
    ])
    func canonicalizes(raw: String, expected: String) throws {
        #expect(try LinkedInURL(parsing: raw).value == expected)
    }

    @Test func tellsProfilesFromCompanies() throws {
        #expect(try LinkedInURL(parsing: "linkedin.com/in/jane").kind == .profile)
        #expect(try LinkedInURL(parsing: "linkedin.com/company/acme").kind == .company)
        #expect(throws: LinkedInURL.Problem.self) {
            try LinkedInURL(parsing: "linkedin.com/company/acme", expecting: .profile)
        }
    }

    @Test(arguments: ["", "https://twitter.com/jane", "https://www.linkedin.com/", "https://www.linkedin.com/feed/x"])
    func rejects(raw: String) {
        #expect(throws: LinkedInURL.Problem.self) { try LinkedInURL(parsing: raw) }
    }
}
