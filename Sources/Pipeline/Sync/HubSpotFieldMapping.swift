import Foundation
import LeadgenCore

/// Which lead and company fields go to which HubSpot properties. The defaults use HubSpot's standard
/// properties only; a workspace overrides them with JSON such as
/// `{"contact": {"title": "jobtitle", "custom:plan": "plan_tier"}, "company": {"industry": "industry"}}`.
/// Mapping a field to "" leaves it out.
public struct HubSpotFieldMapping: Codable, Sendable, Equatable {
    public var contact: [String: String]
    public var company: [String: String]

    /// Lead fields a contact property can take: every `LeadField` by its key, `custom:<name>` for a custom
    /// field, and the values a contact carries in HubSpot's own terms: `phone` (the first number that is not
    /// a mobile), `mobile_phone`, `company_name`, `website` (the company's domain as a URL) and `status`.
    public static let contactFields = LeadField.allCases.map(\.key) + contactProjections
    static let contactProjections = ["phone", "mobile_phone", "company_name", "website", "status"]
    /// Company fields a company property can take: every `CompanyField` by its key.
    public static let companyFields = CompanyField.allCases.map(\.key)
    /// Names the mapping once used for company fields, read as today's names.
    static let formerCompanyKeys = ["employees": CompanyField.employeeCount.key]

    public static let defaults = HubSpotFieldMapping(
        contact: [
            "email": "email", "first_name": "firstname", "last_name": "lastname", "title": "jobtitle",
            "phone": "phone", "mobile_phone": "mobilephone", "city": "city", "state": "state", "country": "country",
            "company_name": "company", "website": "website",
        ],
        // `industry` is an enumeration in HubSpot with its own values: left out unless mapped.
        company: [
            "name": "name", "domain": "domain", "employee_count": "numberofemployees",
            "annual_revenue": "annualrevenue",
            "phone": "phone", "city": "city", "state": "state", "country": "country",
            "linkedin_url": "linkedin_company_page",
        ])

    public init(contact: [String: String], company: [String: String]) {
        self.contact = contact
        self.company = company
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// The defaults with `json`'s entries laid over them; unknown fields are refused with their names.
    public static func parse(_ json: String?) throws -> HubSpotFieldMapping {
        guard let json, !json.isEmpty else { return defaults }
        let override: HubSpotFieldMapping
        do {
            struct Partial: Decodable {
                var contact: [String: String]?
                var company: [String: String]?
            }
            let partial = try JSONDecoder().decode(Partial.self, from: Data(json.utf8))
            let company = Dictionary(
                (partial.company ?? [:]).map { (formerCompanyKeys[$0.key] ?? $0.key, $0.value) },
                uniquingKeysWith: { $1 })
            override = HubSpotFieldMapping(contact: partial.contact ?? [:], company: company)
        } catch {
            throw Invalid(description: "the field mapping is not JSON of the form {\"contact\": {…}, \"company\": {…}}")
        }
        let unknownContact = override.contact.keys.filter { !contactFields.contains($0) && !$0.hasPrefix("custom:") }
        let unknownCompany = override.company.keys.filter { !companyFields.contains($0) }
        guard unknownContact.isEmpty, unknownCompany.isEmpty else {
            throw Invalid(
                description:
                    "unknown fields in the mapping: \((unknownContact + unknownCompany).sorted().joined(separator: ", "))"
            )
        }
        var mapping = defaults
        mapping.contact.merge(override.contact) { $1 }
        mapping.company.merge(override.company) { $1 }
        return mapping
    }

    /// The contact's properties: mapped fields with a value, as strings (a country by its name).
    public func contactProperties(_ lead: Lead, company: Company?) -> [String: String] {
        Self.project(contact) { Self.contactValue($0, lead, company) }
    }

    public func companyProperties(_ company: Company) -> [String: String] {
        Self.project(self.company) { CompanyField(rawValue: $0)?.text(in: company.fields, style: .human) }
    }

    /// The value of a contact field: a lead field by its key, a custom field, or one of HubSpot's own terms.
    static func contactValue(_ name: String, _ lead: Lead, _ company: Company?) -> String? {
        let f = lead.fields
        switch name {
        case "phone": return f.phones.first { $0.kind != .mobile }?.text
        case "mobile_phone": return f.phones.first { $0.kind == .mobile }?.text
        case "company_name": return company?.fields.name
        case "website": return company?.fields.domain.map { "https://\($0.value)" }
        case "status": return lead.status.rawValue
        default:
            if name.hasPrefix("custom:") { return f.customFields[String(name.dropFirst("custom:".count))] }
            return LeadField(rawValue: name)?.text(in: f, style: .human)
        }
    }

    /// Each mapped field's value under its property; fields mapped to "" and empty values are left out.
    private static func project(_ mapping: [String: String], value: (String) -> String?) -> [String: String] {
        var properties: [String: String] = [:]
        for (field, property) in mapping where !property.isEmpty {
            if let text = value(field), !text.isEmpty { properties[property] = text }
        }
        return properties
    }
}
