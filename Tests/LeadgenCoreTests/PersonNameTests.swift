import Testing

@testable import LeadgenCore

@Suite struct PersonNameTests {
    @Test(arguments: [
        ("  jane   doe ", "Jane Doe"),
        ("JANE", "Jane"),
        ("jane", "Jane"),
        ("MCDONALD", "McDonald"),
        ("mcdonald", "McDonald"),
        ("McDonald", "McDonald"),
        ("O'BRIEN", "O'Brien"),
        ("o'brien", "O'Brien"),
        ("O'Brien", "O'Brien"),
        ("van der Berg", "van der Berg"),
        ("VAN DER BERG", "Van der Berg"),
        ("ludwig van beethoven", "Ludwig van Beethoven"),
        ("JEAN-PIERRE", "Jean-Pierre"),
        ("DeShawn", "DeShawn"),
        ("MACDONALD", "MacDonald"),
        ("MACK", "Mack"),
        ("JOHN SMITH III", "John Smith III"),
        ("ÉLODIE", "Élodie"),
        ("josé garcía", "José García"),
        ("d'angelo", "D'Angelo"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(PersonName.normalize(raw) == expected)
    }

    @Test func emptyIsNil() {
        #expect(PersonName.normalize("   ") == nil)
    }

    @Test(
        arguments: [
            ("Jane Doe", "Jane", "Doe"),
            ("jane doe", "Jane", "Doe"),
            ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
            ("Mary Ann Smith", "Mary Ann", "Smith"),
            ("John Smith Jr.", "John", "Smith"),
            ("Cher", "Cher", nil),
        ] as [(String, String?, String?)])
    func splitsFullNames(full: String, first: String?, last: String?) {
        let parts = PersonName.split(fullName: full)
        #expect(parts.first == first)
        #expect(parts.last == last)
    }
}
