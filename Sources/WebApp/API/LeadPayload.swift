import Foundation
import LeadgenCore

/// Reads the JSON body of a lead create or update, field by field, normalizing each value the way an
/// import does and collecting every problem with the field it belongs to.
struct LeadPayload {
    /// Every lead field, plus the status, the custom fields and the company.
    static let fieldNames = Set(LeadField.allCases.map(\.key) + ["status", "custom_fields", "company"])
    /// The company fields a body may set: Apollo's organization id comes from Apollo only.
    static let companyFields = CompanyField.allCases.filter { $0 != .apolloOrganizationID }

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
        if present("custom_fields") { f.customFields = stringMap("custom_fields") }
    }

    /// Sets one field from the body through the fields' normalizer: a string for one value, an array of
    /// strings for a list; null or "" clears it. Problems are collected under the field's name.
    private mutating func set(_ field: LeadField, in f: inout LeadFields) {
        guard let value = object[field.key] else { return }
        do throws(InvalidFieldValue) {
            switch value {
            case .null: try field.set(nil, in: &f)
            case .string(let text) where !field.isList: try field.set(text, in: &f, defaultCountry: "US")
            case .array(let items) where field.isList:
                guard let texts = strings(field.key, items) else { return }
                try field.set(items: texts, in: &f, defaultCountry: "US")
            default:
                let expected = field.isList ? "an array of strings" : "a string"
                errors.append(.init(field: field.key, message: "expected \(expected), got \(value.typeName)"))
            }
        } catch {
            errors.append(
                .init(field: error.index.map { "\(field.key)[\($0)]" } ?? field.key, message: error.description))
        }
    }

    /// The items as strings; nil, with an error for each item that is not one, when some are not.
    private mutating func strings(_ key: String, _ items: [JSON]) -> [String]? {
        var texts: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                errors.append(.init(field: "\(key)[\(index)]", message: "expected a string, got \(item.typeName)"))
                valid = false
                continue
            }
            texts.append(text)
        }
        return valid ? texts : nil
    }

    private mutating func companyFields(_ object: [String: JSON], defaultCountry: String?) -> CompanyFields {
        var company = CompanyFields()
        let known = Set(Self.companyFields.map(\.key))
        for key in object.keys.sorted() where !known.contains(key) {
            errors.append(.init(field: "company.\(key)", message: "unknown field"))
        }
        var nested = LeadPayload(object.filter { known.contains($0.key) })
        nested.errors = []
        for field in Self.companyFields {
            switch field {
            case .employeeCount: company.employeeCount = nested.integer(field.key)
            case .annualRevenue: company.annualRevenue = nested.integer(field.key)
            default: nested.set(field, in: &company, defaultCountry: defaultCountry)
            }
        }
        errors += nested.errors.map { .init(field: "company.\($0.field)", message: $0.message) }
        return company
    }

    private mutating func set(_ field: CompanyField, in company: inout CompanyFields, defaultCountry: String?) {
        guard let value = object[field.key] else { return }
        do throws(InvalidFieldValue) {
            switch value {
            case .null: try field.set(nil, in: &company)
            case .string(let text): try field.set(text, in: &company, defaultCountry: defaultCountry)
            default: errors.append(.init(field: field.key, message: "expected a string, got \(value.typeName)"))
            }
        } catch {
            errors.append(.init(field: field.key, message: error.description))
        }
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
