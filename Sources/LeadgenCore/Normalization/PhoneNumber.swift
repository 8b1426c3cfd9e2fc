import Foundation

/// A telephone number in E.164 form (`+14155550123`), with the text it was read from.
public struct PhoneNumber: Hashable, Sendable, Codable {
    /// `+` and up to 15 digits.
    public let e164: String
    /// The text as written, for display and audit ("(415) 555-0123 ext. 7").
    public let raw: String

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case noDigits(String)
        case invalidLength(String)
        case unknownCountry(String)

        public var description: String {
            switch self {
            case .empty: "phone is empty"
            case .noDigits(let raw): "phone '\(raw)' has no digits"
            case .invalidLength(let raw): "phone '\(raw)' has the wrong number of digits"
            case .unknownCountry(let raw):
                "phone '\(raw)' has no country code and the lead's country has no dialing rules here; write it as +<country code> <number>"
            }
        }
    }

    /// Reads international numbers (`+44 20 7946 0958`, `0044…`, `011 44…` from North America) and national
    /// numbers in the default country's format. Extensions (`x12`, `ext. 12`) are dropped from the E.164 form.
    public init(parsing text: String, defaultCountry: String? = "US") throws(Problem) {
        var raw = text.trimmingWhitespace()
        // Spreadsheet exports prefix numbers with ' so they stay text.
        if raw.hasPrefix("'") { raw = raw.dropFirst().trimmingWhitespace() }
        guard !raw.isEmpty else { throw .empty }
        self.raw = raw
        let (digits, startsInternational) = PhoneNumber.digits(of: raw)
        guard !digits.isEmpty else { throw .noDigits(raw) }
        let plan = PhoneNumber.plans[defaultCountry?.uppercased() ?? ""]
        let international: String?
        if startsInternational {
            international = digits
        } else if digits.hasPrefix("00") {
            international = String(digits.dropFirst(2))
        } else if plan?.callingCode == "1", digits.hasPrefix("011") {
            international = String(digits.dropFirst(3))
        } else {
            international = nil
        }
        if let international {
            guard PhoneNumber.isPlausible(international: international) else { throw .invalidLength(raw) }
            e164 = "+" + international
            return
        }
        guard let plan else { throw .unknownCountry(raw) }
        guard let national = plan.nationalSignificantNumber(digits) else { throw .invalidLength(raw) }
        e164 = "+" + plan.callingCode + national
    }

    /// The dialled digits, and whether the number starts with `+`. Separators are skipped, a bracketed
    /// trunk zero ("+44 (0) 20…") is not dialled from abroad, and an extension (`x12`, `ext. 12`, `#12`)
    /// ends the number.
    static func digits(of raw: String) -> (digits: String, international: Bool) {
        var bytes = Array(raw.utf8)
        if ASCIIBytes.hasPrefix(Array("tel:".utf8), bytes) || ASCIIBytes.hasPrefix(Array("TEL:".utf8), bytes) {
            bytes.removeFirst(4)
        }
        var digits: [UInt8] = []
        var international = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if ASCIIBytes.isDigit(byte) {
                digits.append(byte)
            } else if byte == UInt8(ascii: "+"), digits.isEmpty {
                international = true
            } else if byte == UInt8(ascii: "("), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "0"),
                bytes[index + 2] == UInt8(ascii: ")"), !digits.isEmpty
            {
                index += 2
            } else if !digits.isEmpty,
                byte == UInt8(ascii: "#") || (byte | 0x20) == UInt8(ascii: "x")
                    || (byte | 0x20) == UInt8(ascii: "e")
            {
                break
            }
            index += 1
        }
        return (String(decoding: digits, as: UTF8.self), international)
    }

    /// Digits after the `+`: a known country's length rules, otherwise E.164's 8 to 15 digits overall.
    static func isPlausible(international digits: String) -> Bool {
        guard (8...15).contains(digits.count), digits.first != "0" else { return false }
        for plan in distinctPlans where digits.hasPrefix(plan.callingCode) {
            return plan.isValidNational(String(digits.dropFirst(plan.callingCode.count)))
        }
        return true
    }

    private static let distinctPlans = Array(Set(plans.values))

    /// Dialing rules for the countries whose national formats are read without a `+`.
    static let plans: [String: DialingPlan] = [
        "US": .northAmerica, "CA": .northAmerica,
        "GB": DialingPlan(callingCode: "44", trunkPrefix: "0", lengths: 9...10),
        "DE": DialingPlan(callingCode: "49", trunkPrefix: "0", lengths: 6...13),
        "FR": DialingPlan(callingCode: "33", trunkPrefix: "0", lengths: 9...9),
    ]
}

/// How one country writes national numbers: its calling code, trunk prefix and national number lengths.
struct DialingPlan: Hashable, Sendable {
    let callingCode: String
    let trunkPrefix: String?
    let lengths: ClosedRange<Int>

    static let northAmerica = DialingPlan(callingCode: "1", trunkPrefix: "1", lengths: 10...10)

    /// The national significant number of a nationally written number, or nil when it cannot be one.
    func nationalSignificantNumber(_ digits: String) -> String? {
        if isValidNational(digits) { return digits }
        if let trunkPrefix, digits.hasPrefix(trunkPrefix) {
            let rest = String(digits.dropFirst(trunkPrefix.count))
            if isValidNational(rest) { return rest }
        }
        return nil
    }

    func isValidNational(_ digits: String) -> Bool {
        guard lengths.contains(digits.count), digits.first != "0" else { return false }
        if callingCode == "1" {
            // NANP: area code and exchange both start with 2–9.
            let chars = Array(digits)
            return chars[0] >= "2" && chars[3] >= "2"
        }
        return true
    }
}
