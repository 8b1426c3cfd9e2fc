/// How record linkage compares one field of two records, as agreement levels from 0 (different) up to
/// `levels - 1` (equal). Each kind also says how a raw value is normalized before it is compared.
public enum FieldComparison: String, Sendable, Codable, CaseIterable {
    /// Equal or not (a domain, a state, a phone's last digits).
    case exact
    /// Free text: equal, Jaro-Winkler ≥ 0.92, ≥ 0.80, or different. Compared on lowercased letters and digits.
    case text
    /// A given name or surname: as `text`, and a nickname of the same formal name ("bob", "robert") counts
    /// as the upper similar level.
    case name
    /// A code or number (a postcode, an id): equal, one edit apart, two edits apart, or different.
    case code
    /// A date written as digits (yyyymmdd or any fixed order): equal, one edit apart or day and month
    /// swapped, two edits apart, or different.
    case date

    /// How many agreement levels the comparison has.
    public var levels: Int { self == .exact ? 2 : 4 }

    static let similar = 0.92
    static let close = 0.80

    /// The value compared: lowercased, with what does not tell records apart removed, at most 200
    /// characters; nil when nothing is left.
    public func normalize(_ raw: String) -> String? {
        let kept: [Unicode.Scalar]
        switch self {
        case .exact:
            let trimmed = raw.lowercased().trimmingWhitespace()
            return trimmed.isEmpty ? nil : String(trimmed.prefix(200))
        case .text, .code:
            kept = raw.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || Self.isDigit($0) }
        case .name:
            kept = raw.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic }
        case .date:
            kept = raw.unicodeScalars.filter(Self.isDigit)
        }
        return kept.isEmpty ? nil : String(String.UnicodeScalarView(kept.prefix(200)))
    }

    /// The agreement level of two normalized values.
    public func level(_ a: String, _ b: String) -> Int { level(LinkageValue(a), LinkageValue(b)) }

    /// The agreement level of two normalized values, with their scalars at hand.
    func level(_ a: LinkageValue, _ b: LinkageValue) -> Int {
        if a.text == b.text { return levels - 1 }
        switch self {
        case .exact: return 0
        case .text, .name:
            if self == .name, Nicknames.same(a.text, b.text) { return 2 }
            let similarity = JaroWinkler.similarity(a.scalars, b.scalars)
            return similarity >= Self.similar ? 2 : similarity >= Self.close ? 1 : 0
        case .code:
            return 3 - EditDistance.distance(a.scalars, b.scalars, limit: 2)
        case .date:
            if Self.daySwapped(a.scalars, b.scalars) { return 2 }
            return 3 - EditDistance.distance(a.scalars, b.scalars, limit: 2)
        }
    }

    /// In words, what a level means ("equal", "similar", "close").
    public func describe(level: Int) -> String {
        if level >= levels - 1 { return "equal" }
        if self == .date, level == 2 { return "one edit apart or day and month swapped" }
        if self == .code || self == .date { return level == 2 ? "one edit apart" : "two edits apart" }
        return level == 2 ? "similar" : "close"
    }

    /// Whether two eight-digit dates are the same but for their last two pairs swapped (20010203 and
    /// 20010302): day and month written the other way round.
    static func daySwapped(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Bool {
        guard s.count == 8, t.count == 8 else { return false }
        return s[0..<4] == t[0..<4] && s[4..<6] == t[6..<8] && s[6..<8] == t[4..<6]
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
}

/// A normalized value and its first 64 scalars, worked out once per distinct value.
struct LinkageValue: Sendable {
    let text: String
    let scalars: [Unicode.Scalar]

    init(_ text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars.prefix(JaroWinkler.maxLength))
    }
}
