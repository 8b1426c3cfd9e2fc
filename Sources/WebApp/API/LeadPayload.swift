import Foundation
import LeadgenCore

/// Reads the JSON body of a lead create or update, field by field, normalizing each value the way an
/// import does and collecting every problem with the field it belongs to.
struct LeadPayload {
    static let fieldNames: Set<String> = [
        "first_name", "last_name", "full_name", "title", "seniority", "departments", "email", "email_status",
        "other_emails", "phones", "linkedin_url", "city", "state", "country", "time_zone", "owner", "tags",
        "custom_fields", "status", "company", "apollo_person_id", "apollo_contact_id",
    ]
    static let companyFieldNames: Set<String> = [
        "name", "domain", "linkedin_url", "industry", "employee_count", "annual_revenue", "phone", "city", "state",
        "country",
    ]

    let object: [String: JSON]
    private(set) var errors: [Problem.FieldError] = []

    init(_ object: [String: JSON]) {
        self.object = object
        for key in object.keys.sorted() where !Self.fieldNames.contains(key) {
            errors.append(.init(field: key, message: "unknown field"))
        }
    }

    /// A new lead from the body: every field optional, but it must identify a person.
    mutating func input() throws(Problem) -> LeadInput {
        var fields = LeadFields()
        apply(to: &fields)
        var input = LeadInput(fields: fields, status: status())
        if let value = object["company"], value != .null {
            guard case .object(let company) = value else {
                errors.append(.init(field: "company", message: "expected an object, got \(value.typeName)"))
                throw Problem.invalid(errors)
            }
            input.company = companyFields(company, defaultCountry: fields.country?.code)
        }
        if errors.isEmpty, !input.identifiesAPerson {
            errors.append(
                .init(
                    field: "email",
                    message: "a lead needs an e-mail, a LinkedIn URL, an Apollo id, or a name with a company or phone"))
        }
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        return input
    }

    /// Applies the body to a stored lead as a JSON merge patch: absent fields stay, null clears.
    mutating func patch(_ lead: inout Lead) throws(Problem) {
        if object["company"] != nil {
            errors.append(.init(field: "company", message: "a lead's company cannot be changed through PATCH yet"))
        }
        apply(to: &lead.fields)
        if let status = status() { lead.status = status }
        guard errors.isEmpty else { throw Problem.invalid(errors) }
    }

    private mutating func status() -> LeadStatus? {
        string("status") { LeadStatus(rawValue: $0.lowercased()) }
            .flatMap { $0 }
    }

    private mutating func apply(to f: inout LeadFields) {
        let country = present("country") ? string("country") { Country($0) } ?? nil : f.country
        let phoneCountry = country?.code ?? "US"
        if present("first_name") { f.firstName = string("first_name") { PersonName.normalize($0) } ?? nil }
        if present("last_name") { f.lastName = string("last_name") { PersonName.normalize($0) } ?? nil }
        if present("full_name"), !present("first_name"), !present("last_name"),
            let full = string("full_name", { $0 }) ?? nil
        {
            (f.firstName, f.lastName) = PersonName.split(fullName: full)
        }
        if present("title") { f.title = string("title") { $0.collapsingWhitespaceOrNil } ?? nil }
        if present("seniority") {
            f.seniority = string("seniority") { Seniority(apolloValue: $0) } ?? nil
        } else if present("title") {
            // As in an import: a title that says the level sets it, unless the body names the level itself.
            f.seniority = f.title.flatMap { Seniority(title: $0) } ?? f.seniority
        }
        if present("departments") { f.departments = strings("departments") { $0 } }
        if present("email") { f.email = string("email") { try EmailAddress(parsing: $0) } ?? nil }
        if present("email_status") { f.emailStatus = string("email_status") { EmailStatus(text: $0) } ?? nil }
        if present("other_emails") { f.otherEmails = strings("other_emails") { try EmailAddress(parsing: $0) } }
        if present("phones") {
            f.phones = strings("phones") { text in
                let number = try PhoneNumber(parsing: text, defaultCountry: phoneCountry)
                return LeadPhone(kind: .other, e164: number.e164, raw: number.raw)
            }
        }
        if present("linkedin_url") {
            f.linkedinURL = string("linkedin_url") { try LinkedInURL(parsing: $0, expecting: .profile) } ?? nil
        }
        if present("city") { f.city = string("city") { $0.collapsingWhitespaceOrNil } ?? nil }
        if present("state") { f.state = string("state") { $0.collapsingWhitespaceOrNil } ?? nil }
        if present("country") { f.country = country }
        if present("time_zone") { f.timeZone = string("time_zone") { TimeZone(identifier: $0)?.identifier } ?? nil }
        if present("owner") { f.owner = string("owner") { $0.collapsingWhitespaceOrNil } ?? nil }
        if present("tags") { f.tags = strings("tags") { $0.collapsingWhitespaceOrNil } }
        if present("apollo_person_id") { f.apolloPersonID = string("apollo_person_id") { $0 } ?? nil }
        if present("apollo_contact_id") { f.apolloContactID = string("apollo_contact_id") { $0 } ?? nil }
        if present("custom_fields") { f.customFields = stringMap("custom_fields") }
    }

    private mutating func companyFields(_ object: [String: JSON], defaultCountry: String?) -> CompanyFields {
        var company = CompanyFields()
        for key in object.keys.sorted() where !Self.companyFieldNames.contains(key) {
            errors.append(.init(field: "company.\(key)", message: "unknown field"))
        }
        var nested = LeadPayload(object.filter { Self.companyFieldNames.contains($0.key) })
        nested.errors = []
        company.name = nested.string("name") { $0.collapsingWhitespaceOrNil } ?? nil
        company.domain = nested.string("domain") { try Domain(parsing: $0) } ?? nil
        company.linkedinURL = nested.string("linkedin_url") { try LinkedInURL(parsing: $0, expecting: .company) } ?? nil
        company.industry = nested.string("industry") { $0.collapsingWhitespaceOrNil } ?? nil
        company.employeeCount = nested.integer("employee_count")
        company.annualRevenue = nested.integer("annual_revenue")
        company.phone =
            nested.string("phone") { try PhoneNumber(parsing: $0, defaultCountry: defaultCountry).e164 } ?? nil
        company.city = nested.string("city") { $0.collapsingWhitespaceOrNil } ?? nil
        company.state = nested.string("state") { $0.collapsingWhitespaceOrNil } ?? nil
        company.country = nested.string("country") { Country($0) } ?? nil
        errors += nested.errors.map { .init(field: "company.\($0.field)", message: $0.message) }
        return company
    }

    private func present(_ key: String) -> Bool { object[key] != nil }

    /// The field's string, parsed; nil (with an error) when it has the wrong type or does not parse.
    /// A JSON null or an empty string is "no value": the outer optional is non-nil and holds nil.
    private mutating func string<T>(_ key: String, _ parse: (String) throws -> T?) -> T?? {
        guard let value = object[key] else { return nil }
        switch value {
        case .null: return .some(nil)
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return .some(nil) }
            do {
                if let parsed = try parse(trimmed) { return parsed }
                errors.append(
                    .init(
                        field: key,
                        message: "'\(trimmed)' is not a valid \(key.replacingOccurrences(of: "_", with: " "))"))
            } catch {
                errors.append(.init(field: key, message: "\(error)"))
            }
            return nil
        default:
            errors.append(.init(field: key, message: "expected a string, got \(value.typeName)"))
            return nil
        }
    }

    private mutating func strings<T>(_ key: String, _ parse: (String) throws -> T?) -> [T] {
        guard let value = object[key] else { return [] }
        switch value {
        case .null: return []
        case .array(let items):
            var result: [T] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    errors.append(.init(field: "\(key)[\(index)]", message: "expected a string, got \(item.typeName)"))
                    continue
                }
                do {
                    if let parsed = try parse(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                        result.append(parsed)
                    }
                } catch {
                    errors.append(.init(field: "\(key)[\(index)]", message: "\(error)"))
                }
            }
            return result
        default:
            errors.append(.init(field: key, message: "expected an array of strings, got \(value.typeName)"))
            return []
        }
    }

    private mutating func stringMap(_ key: String) -> [String: String] {
        guard let value = object[key], value != .null else { return [:] }
        guard case .object(let map) = value else {
            errors.append(.init(field: key, message: "expected an object of strings, got \(value.typeName)"))
            return [:]
        }
        var result: [String: String] = [:]
        for (name, item) in map {
            guard case .string(let text) = item else {
                errors.append(.init(field: "\(key).\(name)", message: "expected a string, got \(item.typeName)"))
                continue
            }
            result[name] = text
        }
        return result
    }

    private mutating func integer(_ key: String) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.numberValue, number >= 0, number == number.rounded(), number < 9e15 else {
            errors.append(.init(field: key, message: "expected a whole number, got \(value.typeName)"))
            return nil
        }
        return Int(number)
    }
}

extension String {
    /// The text with white space folded, or nil when nothing is left.
    var collapsingWhitespaceOrNil: String? {
        let folded = split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return folded.isEmpty ? nil : folded
    }
}
