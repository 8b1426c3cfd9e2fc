/// A field of a company, as every part of Leadgen names it: `key` in the API, the event log, CRM mappings and
/// as `company.<key>` in templates; `label` as Apollo's people export spells the column.
public enum CompanyField: String, CaseIterable, Sendable, Codable {
    case name, domain, linkedinURL = "linkedin_url", industry, employeeCount = "employee_count"
    case annualRevenue = "annual_revenue", phone, city, state, country
    case apolloOrganizationID = "apollo_organization_id"

    public var key: String { rawValue }

    public var label: String {
        switch self {
        case .name: "Company Name"
        case .domain: "Website"
        case .linkedinURL: "Company LinkedIn URL"
        case .industry: "Industry"
        case .employeeCount: "# Employees"
        case .annualRevenue: "Annual Revenue"
        case .phone: "Company Phone"
        case .city: "Company City"
        case .state: "Company State"
        case .country: "Company Country"
        case .apolloOrganizationID: "Apollo Account Id"
        }
    }

    /// The field's value as text, nil when empty.
    public func text(in f: CompanyFields, style: FieldTextStyle = .canonical) -> String? {
        let text: String? =
            switch self {
            case .name: f.name
            case .domain: f.domain?.value
            case .linkedinURL: f.linkedinURL?.value
            case .industry: f.industry
            case .employeeCount: f.employeeCount.map(String.init)
            case .annualRevenue: f.annualRevenue.map(String.init)
            case .phone: f.phone
            case .city: f.city
            case .state: f.state
            case .country: style == .canonical ? f.country?.code : f.country?.name
            case .apolloOrganizationID: f.apolloOrganizationID
            }
        return text?.isEmpty == false ? text : nil
    }
}
