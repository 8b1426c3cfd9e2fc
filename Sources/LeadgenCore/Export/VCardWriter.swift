import Foundation

/// A lead as a vCard 4.0 (RFC 6350), for address books and phones: name, organization, title, e-mails, phones
/// (as `tel:` URIs when known in E.164), work address, LinkedIn profile, tags as categories, time zone, and the
/// lead's id as its UID. Values are escaped (RFC 6350 §3.4) and lines folded at 75 octets, never inside a
/// character (§3.2), with CRLF line ends. Its revision (REV) is the lead's last change.
public enum VCardWriter {
    public static func card(for lead: LeadDTO) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0", "PRODID:-//Leadgen//Leadgen//EN"]
        let uuid = UUID(uuidString: lead.id).map { "urn:uuid:\($0.uuidString.lowercased())" }
        lines.append("UID:" + (uuid ?? text(lead.id)))
        let name = [lead.firstName, lead.lastName].compactMap { $0 }.joined(separator: " ")
        lines.append("FN:" + text(name.isEmpty ? (lead.email ?? lead.company?.name ?? "Unnamed") : name))
        lines.append("N:" + [lead.lastName ?? "", lead.firstName ?? "", "", "", ""].map(text).joined(separator: ";"))
        if let company = lead.company?.name { lines.append("ORG:" + text(company)) }
        if let title = lead.title { lines.append("TITLE:" + text(title)) }
        if let email = lead.email { lines.append("EMAIL;TYPE=work;PREF=1:" + text(email)) }
        for other in lead.otherEmails { lines.append("EMAIL:" + text(other)) }
        for phone in lead.phones {
            let type = phoneTypes[phone.type].map { ";TYPE=\($0)" } ?? ""
            if let e164 = phone.e164 {
                lines.append("TEL;VALUE=uri\(type):tel:\(e164)")
            } else {
                lines.append("TEL;VALUE=text\(type):" + text(phone.raw))
            }
        }
        if lead.city != nil || lead.state != nil || lead.country != nil {
            let country = lead.country.flatMap { Country(code: $0)?.name } ?? lead.country ?? ""
            let parts = ["", "", "", lead.city ?? "", lead.state ?? "", "", country]
            lines.append("ADR;TYPE=work:" + parts.map(text).joined(separator: ";"))
        }
        if let linkedin = lead.linkedinUrl { lines.append("X-SOCIALPROFILE;TYPE=linkedin:" + text(linkedin)) }
        if let domain = lead.company?.domain { lines.append("URL;TYPE=work:https://" + text(domain)) }
        if !lead.tags.isEmpty { lines.append("CATEGORIES:" + lead.tags.map(text).joined(separator: ",")) }
        if let zone = lead.timeZone { lines.append("TZ:" + text(zone)) }
        lines.append("REV:" + timestamp(lead.updatedAt))
        lines.append("END:VCARD")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// vCard's TYPE for each kind of phone Leadgen keeps.
    static let phoneTypes = ["work_direct": "work,voice", "mobile": "cell", "home": "home", "corporate": "work"]

    /// A text value escaped: backslash, comma and semicolon get a backslash, a line break becomes `\n`.
    static func text(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case ",": escaped += "\\,"
            case ";": escaped += "\\;"
            case "\n", "\r\n", "\r": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A line folded into pieces of at most 75 octets, each after the first led by a space.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var size = 0
        for character in line {
            let width = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74
            if size + width > limit {
                pieces.append(current)
                current = ""
                size = 0
            }
            current.append(character)
            size += width
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", c.year ?? 1970) + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute)
            + two(c.second) + "Z"
    }
}
