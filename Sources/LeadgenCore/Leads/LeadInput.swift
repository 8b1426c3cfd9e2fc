/// A lead as one source describes it, ready to be matched and merged into the store.
public struct LeadInput: Sendable, Equatable, Codable {
    public var fields: LeadFields
    public var company: CompanyFields?
    /// A lifecycle status the source states explicitly; nil leaves a stored lead's status alone.
    public var status: LeadStatus?

    public init(fields: LeadFields = LeadFields(), company: CompanyFields? = nil, status: LeadStatus? = nil) {
        self.fields = fields
        self.company = company
        self.status = status
    }

    /// A record names a person when it has an identity or at least a name with an employer or phone.
    public var identifiesAPerson: Bool {
        if !fields.matchKeys.isEmpty { return true }
        let hasName = fields.firstName != nil || fields.lastName != nil
        return hasName && (company?.isEmpty == false || !fields.phones.isEmpty)
    }
}
