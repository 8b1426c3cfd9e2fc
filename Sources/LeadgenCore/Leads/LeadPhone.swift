/// One of a lead's phone numbers and what kind it is.
public struct LeadPhone: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case workDirect = "work_direct", mobile, home, corporate, other
    }

    public var kind: Kind
    /// E.164 when the number could be read, nil when only the raw text is known.
    public var e164: String?
    public var raw: String

    public init(kind: Kind, e164: String?, raw: String) {
        self.kind = kind
        self.e164 = e164
        self.raw = raw
    }

    /// Reads a number as written; keeps the raw text when it cannot be put in E.164 form.
    public init(kind: Kind, parsing text: String, defaultCountry: String?) {
        let number = try? PhoneNumber(parsing: text, defaultCountry: defaultCountry)
        self.init(kind: kind, e164: number?.e164, raw: number?.raw ?? text.trimmingWhitespace())
    }

    /// What identifies the number when comparing: its E.164 form, else its digits.
    var comparisonKey: String { e164 ?? raw.filter(\.isNumber) }
}
