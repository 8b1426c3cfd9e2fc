import Foundation

/// Normalizes the values of one row, keyed by field, into a `LeadInput`.
struct LeadValues {
    var values: [LeadColumn: String]
    var custom: [String: String]
    let mapping: ImportMapping

    /// Apollo's placeholder for an e-mail the account has not unlocked: no address at all.
    static let lockedEmailMarker = "not_unlocked"

    mutating func input() throws(RowRejection) -> LeadInput {
        var fields = LeadFields()
        fields.firstName = values[.firstName].flatMap(PersonName.normalize)
        fields.lastName = values[.lastName].flatMap(PersonName.normalize)
        if fields.firstName == nil, fields.lastName == nil, let full = values[.fullName] {
            (fields.firstName, fields.lastName) = PersonName.split(fullName: full)
        }
        fields.title = values[.title]?.collapsingWhitespace()
        fields.seniority =
            values[.seniority].flatMap { Seniority(apolloValue: $0) } ?? fields.title.flatMap { Seniority(title: $0) }
        fields.departments = list(.departments)
        fields.email = try email(.email)
        fields.otherEmails = try [email(.secondaryEmail), email(.tertiaryEmail)].compactMap { $0 }
        fields.emailStatus = parsed(.emailStatus, "Email Status") { EmailStatus(text: $0) }
        fields.linkedinURL = parsed(.linkedinURL, "LinkedIn URL") { try? LinkedInURL(parsing: $0, expecting: .profile) }
        fields.city = values[.city]?.collapsingWhitespace()
        fields.state = values[.state]?.collapsingWhitespace()
        fields.country = parsed(.country, "Country") { Country($0) }
        fields.timeZone = parsed(.timeZone, "Time Zone") { TimeZone(identifier: $0)?.identifier }
        fields.owner = values[.owner]
        fields.tags = list(.tags)
        fields.apolloPersonID = values[.apolloPersonID]
        fields.apolloContactID = values[.apolloContactID]
        let phoneCountry = fields.country?.code ?? mapping.defaultCountry
        let phoneColumns: [(LeadColumn, LeadPhone.Kind)] = [
            (.workDirectPhone, .workDirect), (.mobilePhone, .mobile), (.homePhone, .home),
            (.corporatePhone, .corporate), (.otherPhone, .other),
        ]
        for (column, kind) in phoneColumns {
            guard let text = values[column] else { continue }
            let phone = LeadPhone(kind: kind, parsing: text, defaultCountry: phoneCountry)
            if !fields.phones.contains(where: { $0.comparisonKey == phone.comparisonKey }) {
                fields.phones.append(phone)
            }
        }
        let status = parsed(.status, "Status") { LeadStatus(rawValue: $0.lowercased()) }
        let company = companyFields(phoneCountry: phoneCountry)
        fields.customFields = custom
        return LeadInput(fields: fields, company: company.isEmpty ? nil : company, status: status)
    }

    private mutating func companyFields(phoneCountry: String?) -> CompanyFields {
        var company = CompanyFields()
        company.name = values[.companyName]?.collapsingWhitespace()
        company.domain = parsed(.companyDomain, "Website") { try? Domain(parsing: $0) }
        company.linkedinURL = parsed(.companyLinkedinURL, "Company LinkedIn URL") {
            try? LinkedInURL(parsing: $0, expecting: .company)
        }
        company.industry = values[.industry]?.collapsingWhitespace()
        company.employeeCount = parsed(.employees, "# Employees") { Self.wholeNumber($0) }
        company.annualRevenue = parsed(.annualRevenue, "Annual Revenue") { Self.money($0) }
        company.phone = values[.companyPhone].map {
            LeadPhone(kind: .corporate, parsing: $0, defaultCountry: phoneCountry).e164 ?? $0
        }
        company.city = values[.companyCity]?.collapsingWhitespace()
        company.state = values[.companyState]?.collapsingWhitespace()
        company.country = parsed(.companyCountry, "Company Country") { Country($0) }
        company.apolloOrganizationID = values[.apolloAccountID]
        return company
    }

    private func email(_ column: LeadColumn) throws(RowRejection) -> EmailAddress? {
        guard let text = values[column], !text.contains(Self.lockedEmailMarker) else { return nil }
        do {
            return try EmailAddress(parsing: text)
        } catch {
            throw RowRejection(line: 0, reason: "\(column.rawValue): \(error.description) ('\(text)')")
        }
    }

    /// The normalized value, or nil with the text kept as written under `label` in the custom fields.
    private mutating func parsed<T>(_ column: LeadColumn, _ label: String, _ parse: (String) -> T?) -> T? {
        guard let text = values[column] else { return nil }
        if let value = parse(text) { return value }
        custom[label] = text
        return nil
    }

    private func list(_ column: LeadColumn) -> [String] {
        let items = (values[column] ?? "").split(separator: ",").map { $0.trimmingWhitespace() }
        return LeadRowMapper.unique(items.filter { !$0.isEmpty })
    }

    static func wholeNumber(_ text: String) -> Int? {
        let digits = text.filter { $0 != "," && $0 != " " && $0 != "_" }
        return Int(digits)
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
}

extension LeadInput {
    /// Normalizes field values from any source (a vendor's answer, a form) exactly as an import row is
    /// normalized; throws when the e-mail is not an address.
    public static func normalizing(
        _ values: [LeadColumn: String], custom: [String: String] = [:], mapping: ImportMapping = ImportMapping()
    ) throws(RowRejection) -> LeadInput {
        var row = LeadValues(
            values: values.filter { !$0.value.trimmingWhitespace().isEmpty }, custom: custom, mapping: mapping)
        return try row.input()
    }
}
