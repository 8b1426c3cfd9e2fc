/// Cleans the way people's names are written: white space, and the casing of ALL-CAPS or all-lowercase text.
///
/// Names already in mixed case are the person's own spelling ("McDonald", "DeShawn", "van der Berg") and are
/// left as they are; only shouting and lower-case text are re-cased.
public enum PersonName {
    /// A cleaned name part, or nil when nothing is left.
    public static func normalize(_ raw: String) -> String? {
        let collapsed = raw.collapsingWhitespace()
        guard !collapsed.isEmpty else { return nil }
        let letters = collapsed.filter(\.isLetter)
        let isAllUpper = letters.allSatisfy { $0.isUppercase || !$0.isCased }
        let isAllLower = letters.allSatisfy { $0.isLowercase || !$0.isCased }
        guard isAllUpper || isAllLower else { return collapsed }
        let words = collapsed.split(separator: " ")
        return words.enumerated().map { index, word in
            recase(word, isFirst: index == 0)
        }.joined(separator: " ")
    }

    /// Splits a full name into first and last: "Ludwig van Beethoven" gives ("Ludwig", "van Beethoven").
    public static func split(fullName: String) -> (first: String?, last: String?) {
        guard let name = normalize(fullName) else { return (nil, nil) }
        var words = name.split(separator: " ").map(String.init)
        while let last = words.last, words.count > 1, suffixes.contains(last.lowercased().trimmingCharacters(".")) {
            words.removeLast()
        }
        guard words.count > 1 else { return (words.first, nil) }
        var lastStart = words.count - 1
        while lastStart > 1, particles.contains(words[lastStart - 1].lowercased()) { lastStart -= 1 }
        return (words[..<lastStart].joined(separator: " "), words[lastStart...].joined(separator: " "))
    }

    private static func recase(_ word: Substring, isFirst: Bool) -> String {
        let lower = word.lowercased()
        if !isFirst, particles.contains(lower) { return lower }
        if romanNumerals.contains(lower) { return lower.uppercased() }
        // Capitalize each piece between hyphens and apostrophes: Jean-Pierre, O'Brien, D'Angelo.
        var result = ""
        var capitalizeNext = true
        for ch in lower {
            result.append(capitalizeNext ? Character(ch.uppercased()) : ch)
            capitalizeNext = ch == "-" || ch == "'" || ch == "’"
        }
        if result.count > 2, result.hasPrefix("Mc") {
            let third = result.index(result.startIndex, offsetBy: 2)
            result.replaceSubrange(third...third, with: result[third].uppercased())
        }
        if let mac = macNames[lower] { return mac }
        return result
    }

    /// Family-name particles that stay lower case inside a name.
    static let particles: Set<String> = [
        "al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van",
        "von", "ten", "ter", "zu",
    ]

    private static let romanNumerals: Set<String> = ["ii", "iii", "iv", "vi", "vii", "viii"]
    private static let suffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq"]

    /// "Mac" names whose next letter is capitalized; many others ("Mack", "Macy") are not.
    private static let macNames: [String: String] = [
        "macarthur": "MacArthur", "macdonald": "MacDonald", "macgregor": "MacGregor", "mackay": "MacKay",
        "mackenzie": "MacKenzie", "maclean": "MacLean", "macleod": "MacLeod", "macmillan": "MacMillan",
        "macneil": "MacNeil", "macpherson": "MacPherson",
    ]
}

extension String {
    fileprivate func trimmingCharacters(_ set: Character) -> String {
        var s = Substring(self)
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
