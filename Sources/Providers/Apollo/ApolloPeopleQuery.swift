import Foundation

/// The filters of a people search (docs/reference/apollo.md §2a). All are optional; within a filter any value matches,
/// and filters combine with AND.
public struct ApolloPeopleQuery: Codable, Sendable, Equatable, Hashable {
    public var personTitles: [String]?
    public var personLocations: [String]?
    public var personSeniorities: [String]?
    public var organizationDomains: [String]?
    /// "min,max" ranges of employees, such as "51,200"; "10001," has no upper bound.
    public var employeeRanges: [String]?
    public var keywords: String?
    public var emailStatuses: [String]?

    public init(
        personTitles: [String]? = nil, personLocations: [String]? = nil, personSeniorities: [String]? = nil,
        organizationDomains: [String]? = nil, employeeRanges: [String]? = nil, keywords: String? = nil,
        emailStatuses: [String]? = nil
    ) {
        self.personTitles = personTitles
        self.personLocations = personLocations
        self.personSeniorities = personSeniorities
        self.organizationDomains = organizationDomains
        self.employeeRanges = employeeRanges
        self.keywords = keywords
        self.emailStatuses = emailStatuses
    }

    enum CodingKeys: String, CodingKey {
        case personTitles = "person_titles", personLocations = "person_locations"
        case personSeniorities = "person_seniorities", organizationDomains = "q_organization_domains_list"
        case employeeRanges = "organization_num_employees_ranges", keywords = "q_keywords"
        case emailStatuses = "contact_email_status"
    }

    /// Apollo's seniority values (docs/reference/apollo.md §2a).
    public static let seniorities = [
        "owner", "founder", "c_suite", "partner", "vp", "head", "director", "manager", "senior", "entry", "intern",
    ]

    /// Disjoint employee-count bands covering every company size, as Apollo's own filter offers them.
    public static let employeeBands = [
        "1,10", "11,20", "21,50", "51,100", "101,200", "201,500", "501,1000", "1001,2000", "2001,5000",
        "5001,10000", "10001,",
    ]
}

/// The request body of `mixed_people/api_search`: the filters with the page.
struct ApolloSearchBody: Encodable {
    var query: ApolloPeopleQuery
    var page: Int
    var perPage: Int

    func encode(to encoder: any Encoder) throws {
        try query.encode(to: encoder)
        var container = encoder.container(keyedBy: PageKeys.self)
        try container.encode(page, forKey: .page)
        try container.encode(perPage, forKey: .perPage)
    }

    enum PageKeys: String, CodingKey { case page, perPage = "per_page" }
}
