import Foundation
import LeadgenCore

/// Reads the JSON body of a lead create or update through a `JSONReader`, field by field, normalizing each
/// value with the fields' one normalizer and collecting every problem with the field it belongs to.
struct LeadPayload {
    /// Every lead field, plus the status, the custom fields and the company.
    static let fieldNames = Set(LeadField.allCases.map(\.key) + ["status", "custom_fields", "company"])
    /// The company fields a body may set: Apollo's organization id comes from Apollo only.
    static let companyFields = CompanyField.allCases.filter { $0 != .apolloOrganizationID }
    /// The largest head count or revenue a body may state.
    static let maxWholeNumber = 9_000_000_000_000_000

    let object: [String: JSON]
    private var reader = JSONReader()

    init(_ object: [String: JSON]) {
        self.object = object
        reader.rejectUnknownKeys(of: object, allowed: Self.fieldNames, at: "")
    }

    /// Every problem so far, as the problem's field errors.
    var errors: [Problem.FieldError] { reader.problems.map { .init(field: $0.path, message: $0.message) } }

    /// A new lead from the body: every field optional, but it must identify a person.
    mutating func input() throws(Problem) -> LeadInput {
        var fields = LeadFields()
        apply(to: &fields)
        var input = LeadInput(fields: fields, status: status())
        if let company = reader.object(object["company"], at: "company") {
            input.company = companyFields(company, defaultCountry: fields.country?.code)
        }
        if reader.problems.isEmpty, !input.identifiesAPerson {
            reader.fail(
                "email", "a lead needs an e-mail, a LinkedIn URL, an Apollo id, or a name with a company or phone")
        }
        try check()
        return input
    }

    /// Applies the body to a stored lead as a JSON merge patch: absent fields stay, null clears.
    mutating func patch(_ lead: inout Lead) throws(Problem) {
        if object["company"] != nil { reader.fail("company", "a lead's company cannot be changed through PATCH yet") }
        apply(to: &lead.fields)
        if let status = status() { lead.status = status }
        try check()
    }

    private func check() throws(Problem) {
        guard reader.problems.isEmpty else { throw Problem.invalid(errors) }
    }

    private mutating func status() -> LeadStatus? {
        guard let text = reader.string(object["status"], at: "status")?.trimmingCharacters(in: .whitespaces),
            !text.isEmpty
        else { return nil }
        guard let status = LeadStatus(rawValue: text.lowercased()) else {
            reader.fail("status", "'\(text)' is not a valid status")
            return nil
        }
        return status
    }

    private mutating func apply(to f: inout LeadFields) {
        // The country first: phones are read in it.
        set(.country, in: &f)
        for field in LeadField.allCases where ![.country, .fullName].contains(field) { set(field, in: &f) }
        if !present("first_name"), !present("last_name"), case .string? = object["full_name"] {
            set(.fullName, in: &f)
        }
        if present("title"), !present("seniority") {
            // As in an import: a title that says the level sets it, unless the body names the level itself.
            f.seniority = f.title.flatMap { Seniority(title: $0) } ?? f.seniority
        }
        if present("custom_fields") {
            f.customFields = reader.stringMap(object["custom_fields"], at: "custom_fields") ?? [:]
        }
    }

    /// Sets one field from the body through the fields' normalizer: a string for one value, an array of
    /// strings for a list; null or "" clears it.
    private mutating func set(_ field: LeadField, in f: inout LeadFields) {
        guard let value = object[field.key] else { return }
        do throws(InvalidFieldValue) {
            if value == .null {
                try field.set(nil, in: &f)
            } else if field.isList {
                guard let items = reader.strings(value, at: field.key) else { return }
                try field.set(items: items, in: &f, defaultCountry: "US")
            } else if let text = reader.string(value, at: field.key) {
                try field.set(text, in: &f, defaultCountry: "US")
            }
        } catch {
            reader.fail(error.index.map { JSONReader.path(field.key, $0) } ?? field.key, error.description)
        }
    }

    private mutating func companyFields(_ object: [String: JSON], defaultCountry: String?) -> CompanyFields {
        reader.rejectUnknownKeys(of: object, allowed: Set(Self.companyFields.map(\.key)), at: "company")
        var company = CompanyFields()
        for field in Self.companyFields {
            let path = JSONReader.path("company", field.key)
            switch field {
            case .employeeCount:
                company.employeeCount = reader.integer(object[field.key], at: path, in: 0...Self.maxWholeNumber)
            case .annualRevenue:
                company.annualRevenue = reader.integer(object[field.key], at: path, in: 0...Self.maxWholeNumber)
            default:
                guard let text = reader.string(object[field.key], at: path) else { continue }
                do throws(InvalidFieldValue) {
                    try field.set(text, in: &company, defaultCountry: defaultCountry)
                } catch {
                    reader.fail(path, error.description)
                }
            }
        }
        return company
    }

    private func present(_ key: String) -> Bool { object[key] != nil }
}
