import Foundation

/// Reads vCards (RFC 6350's 4.0, and the 3.0 and 2.1 forms address books still write) into leads: each card
/// with the line it starts on, its properties unfolded and unescaped, and the lead it describes read through
/// the fields' one normalizer. A card that names nobody, or whose value a field cannot take, is rejected with
/// its line and the reason; the other cards are read all the same.
public enum VCardReader {
    public struct Property: Sendable, Equatable {
        public var name: String
        public var parameters: [String]
        public var value: String
    }

    public struct Card: Sendable, Equatable {
        /// The line of its BEGIN:VCARD, from 1.
        public var line: Int
        public var properties: [Property]

        public func values(_ name: String) -> [Property] { properties.filter { $0.name == name } }
        public func first(_ name: String) -> String? { values(name).first?.value }
    }

    /// Bounds on what one file may hold.
    public static let maxCards = 1_000_000
    public static let maxLineBytes = 1_000_000

    /// The cards in `text`, in order. Lines outside a card, and lines that are not `NAME[;PARAMS]:VALUE`, are
    /// skipped; a card left open at the end of the text is kept.
    public static func cards(in text: String) -> [Card] {
        var cards: [Card] = []
        var current: Card?
        for (number, line) in unfoldedLines(text) {
            guard let property = property(line) else { continue }
            if property.name == "BEGIN", property.value.uppercased() == "VCARD" {
                if let open = current { cards.append(open) }
                current = Card(line: number, properties: [])
            } else if property.name == "END", property.value.uppercased() == "VCARD" {
                if let open = current { cards.append(open) }
                current = nil
            } else {
                current?.properties.append(property)
            }
            if cards.count >= maxCards { return cards }
        }
        if let open = current { cards.append(open) }
        return cards
    }

    /// The lead a card describes, or why it cannot be one.
    public static func input(_ card: Card) -> Result<LeadInput, RowRejection> {
        var fields = LeadFields()
        var company = CompanyFields()
        func reject(_ reason: String) -> Result<LeadInput, RowRejection> {
            .failure(RowRejection(line: card.line, reason: reason))
        }
        let name = components(card.first("N") ?? "")
        let formatted = components(card.first("FN") ?? "").first ?? ""
        var given = name.count > 1 ? name[1] : ""
        var family = name.first ?? ""
        if given.isEmpty, family.isEmpty, !formatted.isEmpty {
            let words = formatted.split(separator: " ").map(String.init)
            given = words.first ?? ""
            family = words.dropFirst().joined(separator: " ")
        }
        let address = components(card.first("ADR") ?? "")
        let country = address.count > 6 ? address[6] : ""
        var single: [(LeadField, String)] = [
            (.firstName, given), (.lastName, family),
            (.title, components(card.first("TITLE") ?? "").first ?? ""),
            (.city, address.count > 3 ? address[3] : ""), (.state, address.count > 4 ? address[4] : ""),
        ]
        if !country.isEmpty, Country(country) != nil { single.append((.country, country)) }
        let links = (card.values("X-SOCIALPROFILE") + card.values("SOCIALPROFILE") + card.values("URL")).map {
            components($0.value).joined(separator: ";")
        }
        if let linkedin = links.first(where: { (try? LinkedInURL(parsing: $0, expecting: .profile)) != nil }) {
            single.append((.linkedinURL, linkedin))
        }
        let emails = card.values("EMAIL").map { components($0.value).first ?? "" }.filter { !$0.isEmpty }
        if let email = emails.first { single.append((.email, email)) }
        for (field, value) in single where !value.isEmpty {
            do throws(InvalidFieldValue) {
                try field.set(value, in: &fields, defaultCountry: nil)
            } catch {
                return reject("\(field.label): \(error.description)")
            }
        }
        let lists: [(LeadField, [String])] = [
            (.otherEmails, Array(emails.dropFirst())),
            (.phones, card.values("TEL").map { phoneText($0.value) }),
            (.tags, card.values("CATEGORIES").flatMap { splitList($0.value) }),
        ]
        for (field, values) in lists where !values.isEmpty {
            do throws(InvalidFieldValue) {
                try field.set(items: values, in: &fields, defaultCountry: fields.country?.code)
            } catch {
                return reject("\(field.label): \(error.description)")
            }
        }
        if let organization = components(card.first("ORG") ?? "").first, !organization.isEmpty {
            company.name = organization
        }
        if let site = links.first(where: { (try? LinkedInURL(parsing: $0)) == nil }),
            let domain = try? Domain(parsing: site)
        {
            company.domain = domain
        }
        let input = LeadInput(fields: fields, company: company.isEmpty ? nil : company)
        guard input.identifiesAPerson else {
            return reject(
                "the card names nobody Leadgen can tell apart: no e-mail, LinkedIn URL, or name with a company or phone"
            )
        }
        return .success(input)
    }

    /// Lines with folding undone (a line starting with a space or tab continues the one before), numbered
    /// from 1 by where they start; an over-long line is cut at the limit.
    static func unfoldedLines(_ text: String) -> [(Int, String)] {
        var lines: [(Int, String)] = []
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                let last = lines.count - 1
                if lines[last].1.utf8.count < maxLineBytes { lines[last].1 += line.dropFirst() }
            } else {
                lines.append((number, String(line.prefix(maxLineBytes))))
            }
        }
        return lines
    }

    /// `group.NAME;PARAM=x;PARAM=y:value`, with the name upper-cased and the group dropped.
    static func property(_ line: String) -> Property? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let head = line[..<colon].split(separator: ";", omittingEmptySubsequences: false)
        guard var name = head.first.map(String.init), !name.isEmpty else { return nil }
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        let parameters = head.dropFirst().map { $0.uppercased() }
        var value = String(line[line.index(after: colon)...])
        if parameters.contains("ENCODING=QUOTED-PRINTABLE") { value = quotedPrintable(value) }
        return Property(name: name.uppercased(), parameters: parameters, value: value)
    }

    /// A structured value's components (split at unescaped semicolons), each unescaped and trimmed.
    static func components(_ value: String) -> [String] {
        split(value, at: ";")
    }

    /// A list value's items (split at unescaped commas).
    static func splitList(_ value: String) -> [String] {
        split(value, at: ",").filter { !$0.isEmpty }
    }

    private static func split(_ value: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in value {
            if escaped {
                current.append(character == "n" || character == "N" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                parts.append(current.trimmingWhitespace())
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingWhitespace())
        return parts
    }

    /// A TEL value as a number: `tel:+1-555-0100` without its scheme and parameters.
    static func phoneText(_ value: String) -> String {
        var text = components(value).first ?? ""
        if text.lowercased().hasPrefix("tel:") { text = String(text.dropFirst(4)) }
        if let semicolon = text.firstIndex(of: ";") { text = String(text[..<semicolon]) }
        return text
    }

    static func quotedPrintable(_ value: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(value.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "="), iterator.count >= 2,
                let high = ASCIIBytes.hexValue(iterator[iterator.startIndex]),
                let low = ASCIIBytes.hexValue(iterator[iterator.index(after: iterator.startIndex)])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
