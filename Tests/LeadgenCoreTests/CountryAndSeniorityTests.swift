import Testing

@testable import LeadgenCore

@Suite struct CountryTests {
    @Test(arguments: [
        ("United States", "US"), ("united states of america", "US"), ("USA", "US"), ("U.S.A.", "US"), ("US", "US"),
        ("United Kingdom", "GB"), ("UK", "GB"), ("England", "GB"), ("Great Britain", "GB"), ("GBR", "GB"),
        ("Germany", "DE"), ("Deutschland", "DE"), ("DE", "DE"), ("France", "FR"), ("fr", "FR"),
        ("The Netherlands", "NL"), ("Netherlands", "NL"), ("South Korea", "KR"), ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"), ("Russian Federation", "RU"), ("Türkiye", "TR"), ("Viet Nam", "VN"),
        ("  canada ", "CA"), ("Brasil", "BR"), ("Åland Islands", "AX"),
    ])
    func recognizes(text: String, code: String) {
        #expect(Country(text)?.code == code)
    }

    @Test(arguments: ["", "Atlantis", "Europe", "XX"])
    func rejects(text: String) {
        #expect(Country(text) == nil)
    }

    @Test func coversAllOfISO3166() {
        #expect(Country.table.count == 249)
        #expect(Country(code: "de")?.name == "Germany")
    }
}

@Suite struct SeniorityTests {
    @Test(arguments: [
        ("Founder & CEO", Seniority.founder), ("Co-Founder", .founder), ("Chief Executive Officer", .cSuite),
        ("CFO", .cSuite), ("President", .cSuite), ("Managing Director", .cSuite), ("VP Sales", .vp),
        ("Vice President, Engineering", .vp), ("SVP Marketing", .vp), ("Head of Growth", .head),
        ("Director of Sales", .director), ("Sales Manager", .manager), ("Partner", .partner),
        ("Partner Manager", .manager), ("Senior Software Engineer", .senior), ("Sr. Account Executive", .senior),
        ("Marketing Intern", .intern), ("Junior Analyst", .entry), ("Owner", .owner),
    ])
    func infersFromTitle(title: String, seniority: Seniority) {
        #expect(Seniority(title: title) == seniority)
    }

    @Test func unknownTitlesSayNothing() {
        #expect(Seniority(title: "Professor") == nil)
        #expect(Seniority(title: "") == nil)
    }

    @Test(arguments: [("C suite", Seniority.cSuite), ("c_suite", .cSuite), ("VP", .vp), ("Entry", .entry)])
    func readsApolloValues(text: String, seniority: Seniority) {
        #expect(Seniority(apolloValue: text) == seniority)
    }
}
