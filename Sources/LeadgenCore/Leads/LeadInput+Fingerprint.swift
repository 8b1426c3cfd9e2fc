extension LeadInput {
    /// A canonical text of everything the record says: two records with equal fingerprints carry the same
    /// information, whatever file, line or surface form they came from. Fields are written in a fixed
    /// order, one per line, so no two different records can share a text.
    public var fingerprint: String {
        var text = ""
        text.reserveCapacity(512)
        func add(_ value: String?) {
            if let value { text += value.replacingNewlines() }
            text += "\n"
        }
        let f = fields
        add(f.firstName)
        add(f.lastName)
        add(f.title)
        add(f.seniority?.rawValue)
        add(f.departments.joined(separator: "\u{1F}"))
        add(f.email?.value)
        add(f.emailStatus?.rawValue)
        add(f.otherEmails.map(\.value).joined(separator: "\u{1F}"))
        add(f.phones.map { "\($0.kind.rawValue):\($0.e164 ?? "")/\($0.raw)" }.joined(separator: "\u{1F}"))
        add(f.linkedinURL?.value)
        add(f.city)
        add(f.state)
        add(f.country?.code)
        add(f.timeZone)
        add(f.owner)
        add(f.tags.joined(separator: "\u{1F}"))
        add(f.customFields.sorted { $0.key < $1.key }.map { "\($0.key)\u{1E}\($0.value)" }.joined(separator: "\u{1F}"))
        add(f.apolloPersonID)
        add(f.apolloContactID)
        add(status?.rawValue)
        if let c = company {
            add(c.name)
            add(c.domain?.value)
            add(c.linkedinURL?.value)
            add(c.industry)
            add(c.employeeCount.map(String.init))
            add(c.annualRevenue.map(String.init))
            add(c.phone)
            add(c.city)
            add(c.state)
            add(c.country?.code)
            add(c.apolloOrganizationID)
        }
        return text
    }
}

extension String {
    /// The text with line breaks escaped, so a value cannot spill into the next field of a fingerprint.
    fileprivate func replacingNewlines() -> String {
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x5C }) else { return self }
        var out = ""
        for character in self {
            switch character {
            case "\n": out += "\\n"
            case "\\": out += "\\\\"
            default: out.append(character)
            }
        }
        return out
    }
}
