import Foundation

/// An ISO 3166-1 country, recognized from its code or from the many ways people write its name.
public struct Country: Hashable, Sendable, Codable {
    /// The ISO 3166-1 alpha-2 code, upper case ("US").
    public let code: String

    /// Recognizes "Germany", "DE", "DEU", "Deutschland", "united states of america", "U.S.A."…
    /// Returns nil for text that names no country.
    public init?(_ text: String) {
        // Most values are a plain name or code; only the others need folding.
        if let code = Country.codesByKey[text.lowercased()] {
            self.code = code
            return
        }
        let key = Country.lookupKey(text)
        guard !key.isEmpty, let code = Country.codesByKey[key] else { return nil }
        self.code = code
    }

    public init?(code: String) {
        let upper = code.uppercased()
        guard Country.table.contains(where: { $0.alpha2 == upper }) else { return nil }
        self.code = upper
    }

    /// The ISO English short name ("United States"), for display.
    public var name: String {
        Country.table.first { $0.alpha2 == code }?.names.first ?? code
    }

    static let codesByKey: [String: String] = {
        var map: [String: String] = [:]
        for row in table {
            map[lookupKey(row.alpha2)] = row.alpha2
            map[lookupKey(row.alpha3)] = row.alpha2
            for name in row.names { map[lookupKey(name)] = row.alpha2 }
        }
        return map
    }()

    /// Folds case, accents, punctuation and a leading "the" so that variants of one name meet.
    static func lookupKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var words: [Substring] = folded.split { !$0.isLetter && !$0.isNumber }
        if words.first == "the" { words.removeFirst() }
        return words.joined(separator: " ")
    }
}
