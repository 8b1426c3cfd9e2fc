/// What is known about a company, normalized.
public struct CompanyFields: Sendable, Equatable, Codable {
    public var name: String?
    public var domain: Domain?
    public var linkedinURL: LinkedInURL?
    public var industry: String?
    public var employeeCount: Int?
    /// Annual revenue in US dollars.
    public var annualRevenue: Int?
    public var phone: String?
    public var city: String?
    public var state: String?
    public var country: Country?
    public var apolloOrganizationID: String?

    public init() {}

    /// Nothing worth storing: no name, domain or identifier.
    public var isEmpty: Bool { name == nil && domain == nil && linkedinURL == nil && apolloOrganizationID == nil }
}
