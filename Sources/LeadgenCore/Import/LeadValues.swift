import Foundation

/// Normalizes the values of one row, keyed by field, trimmed and not empty, into a `LeadInput`.
struct LeadValues {
    var values: [LeadColumn: String]
    var custom: [String: String]
    let mapping: ImportMapping

    /// Apollo's placeholder for an e-mail the account has not unlocked: no address at all.
    static let lockedEmailMarker = "not_unlocked"

    mutating func input() throws(RowRejection) -> LeadInput {
        var f = LeadFields()
        for (field, column) in Self.freeText { put(field, column, in: &f) }
        if f.firstName == nil, f.lastName == nil { put(.fullName, .fullName, in: &f) }
        // A level that is not one of Apollo's is dropped; the title may still say it.
        put(.seniority, .seniority, in: &f)
        f.seniority = f.seniority ?? f.title.flatMap { Seniority(title: $0) }
        f.email = try email(.email)
        f.otherEmails = try [email(.secondaryEmail), email(.tertiaryEmail)].compactMap { $0 }
        keeping(.emailStatus, .emailStatus, in: &f)
        keeping(.linkedinURL, .linkedinURL, in: &f)
        keeping(.country, .country, in: &f)
        keeping(.timeZone, .timeZone, in: &f)
        let phoneCountry = f.country?.code ?? mapping.defaultCountry
        for (column, kind) in Self.phoneColumns {
            guard let text = values[column] else { continue }
            let phone = LeadPhone(kind: kind, parsing: text, defaultCountry: phoneCountry)
            if !f.phones.contains(where: { $0.comparisonKey == phone.comparisonKey }) { f.phones.append(phone) }
        }
        var status: LeadStatus?
        if let text = values[.status] {
            status = LeadStatus(rawValue: text.lowercased())
            if status == nil { custom["Status"] = text }
        }
        let company = companyFields(phoneCountry: phoneCountry)
        f.customFields = custom
        return LeadInput(fields: f, company: company.isEmpty ? nil : company, status: status)
    }

    /// Fields taken as written, white space folded: normalizing them cannot fail.
    static let freeText: [(LeadField, LeadColumn)] = [
        (.firstName, .firstName), (.lastName, .lastName), (.title, .title), (.departments, .departments),
        (.city, .city), (.state, .state), (.owner, .owner), (.tags, .tags), (.apolloPersonID, .apolloPersonID),
        (.apolloContactID, .apolloContactID),
    ]

    static let phoneColumns: [(LeadColumn, LeadPhone.Kind)] = [
        (.workDirectPhone, .workDirect), (.mobilePhone, .mobile), (.homePhone, .home), (.corporatePhone, .corporate),
        (.otherPhone, .other),
    ]

    private mutating func companyFields(phoneCountry: String?) -> CompanyFields {
        var c = CompanyFields()
        let freeText: [(CompanyField, LeadColumn)] = [
            (.name, .companyName), (.industry, .industry), (.city, .companyCity), (.state, .companyState),
            (.apolloOrganizationID, .apolloAccountID),
        ]
        for (field, column) in freeText { put(field, column, in: &c) }
        keeping(.domain, .companyDomain, in: &c)
        keeping(.linkedinURL, .companyLinkedinURL, in: &c)
        keeping(.employeeCount, .employees, in: &c)
        keeping(.annualRevenue, .annualRevenue, in: &c)
        keeping(.country, .companyCountry, in: &c)
        if let text = values[.companyPhone] {
            // A switchboard number that cannot be put in E.164 form is kept as written.
            do throws(InvalidFieldValue) {
                try CompanyField.phone.assign(text, in: &c, defaultCountry: phoneCountry)
            } catch {
                c.phone = text
            }
        }
        return c
    }

    /// Sets the field from its column when the row has it; a value it refuses is dropped (free text and
    /// identifiers are never refused).
    private func put(_ field: LeadField, _ column: LeadColumn, in f: inout LeadFields) {
        guard let text = values[column] else { return }
        try? field.assign(text, in: &f, defaultCountry: nil)
    }

    private func put(_ field: CompanyField, _ column: LeadColumn, in c: inout CompanyFields) {
        guard let text = values[column] else { return }
        try? field.assign(text, in: &c, defaultCountry: nil)
    }

    private func email(_ column: LeadColumn) throws(RowRejection) -> EmailAddress? {
        guard let text = values[column], !text.contains(Self.lockedEmailMarker) else { return nil }
        do {
            return try FieldNormalizer.email(text)
        } catch {
            throw RowRejection(line: 0, reason: "\(column.rawValue): \(error.description) ('\(text)')")
        }
    }

    /// Sets the field from its column; a value that cannot be normalized is kept as written in the custom
    /// fields, under the field's label, so nothing is lost.
    private mutating func keeping(_ field: LeadField, _ column: LeadColumn, in f: inout LeadFields) {
        guard let text = values[column] else { return }
        do throws(InvalidFieldValue) { try field.assign(text, in: &f, defaultCountry: nil) } catch {
            custom[field.label] = text
        }
    }

    private mutating func keeping(_ field: CompanyField, _ column: LeadColumn, in c: inout CompanyFields) {
        guard let text = values[column] else { return }
        do throws(InvalidFieldValue) { try field.assign(text, in: &c, defaultCountry: nil) } catch {
            custom[field.label] = text
        }
    }
}

extension LeadInput {
    /// Normalizes field values from any source (a vendor's answer, a form) exactly as an import row is
    /// normalized; throws when the e-mail is not an address.
    public static func normalizing(
        _ values: [LeadColumn: String], custom: [String: String] = [:], mapping: ImportMapping = ImportMapping()
    ) throws(RowRejection) -> LeadInput {
        // Values are read trimmed, as an import row's are.
        let trimmed = values.compactMapValues { text in
            let value = text.trimmingWhitespace()
            return value.isEmpty ? nil : value
        }
        var row = LeadValues(values: trimmed, custom: custom, mapping: mapping)
        return try row.input()
    }
}
