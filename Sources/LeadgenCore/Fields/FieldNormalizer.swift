import Foundation

/// Why a text cannot be a field's value: the normalizer's own words ("'Atlantis' is not a valid country"),
/// and for a list, which item.
public struct InvalidFieldValue: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// The position of the offending item in a list field, nil for a single value.
    public var index: Int?

    public init(_ description: String, index: Int? = nil) {
        self.description = description
        self.index = index
    }
}

/// The value normalizers every source uses: an import row, an API body, a Make module, a vendor's answer
/// and a CRM's change notification all read a name, a country or an address the same way.
enum FieldNormalizer {
    /// Free text with white space folded; nil when nothing is left.
    static func text(_ text: String) -> String? {
        let folded = text.collapsingWhitespace()
        return folded.isEmpty ? nil : folded
    }

    /// An identifier as given, without surrounding white space; nil when empty.
    static func identifier(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `parse`'s value, or an error naming what the text failed to be ("… is not a valid time zone").
    static func required<T>(_ text: String, _ what: String, _ parse: (String) -> T?) throws(InvalidFieldValue) -> T {
        guard let value = parse(text) else { throw InvalidFieldValue("'\(text)' is not a valid \(what)") }
        return value
    }

    static func email(_ text: String) throws(InvalidFieldValue) -> EmailAddress {
        do { return try EmailAddress(parsing: text) } catch { throw InvalidFieldValue(error.description) }
    }

    static func linkedin(_ text: String, _ kind: LinkedInURL.Kind) throws(InvalidFieldValue) -> LinkedInURL {
        do { return try LinkedInURL(parsing: text, expecting: kind) } catch {
            throw InvalidFieldValue(error.description)
        }
    }

    static func phone(_ text: String, defaultCountry: String?) throws(InvalidFieldValue) -> PhoneNumber {
        do {
            return try PhoneNumber(parsing: text, defaultCountry: defaultCountry)
        } catch {
            throw InvalidFieldValue(error.description)
        }
    }

    static func timeZone(_ text: String) -> String? { TimeZone(identifier: text)?.identifier }

    /// A count written with thousands separators ("1,200").
    static func wholeNumber(_ text: String) -> Int? {
        Int(text.filter { $0 != "," && $0 != " " && $0 != "_" })
    }

    /// "$1,200,000", "1.2M", "100M", "3B", "250K" → dollars.
    static func money(_ text: String) -> Int? {
        var body = text.uppercased().filter { !"$, ".contains($0) }
        var multiplier = 1.0
        if let last = body.last, let scale = ["K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12][last] {
            multiplier = scale
            body.removeLast()
        }
        guard let number = Double(body), number >= 0, number * multiplier < 9e18 else { return nil }
        return Int((number * multiplier).rounded())
    }

    /// Items without blanks or repeats (compared without case), in their first order.
    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}
