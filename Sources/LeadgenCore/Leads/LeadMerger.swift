/// The merge rules for two records of the same person or company.
///
/// Empty fields are filled; list fields (departments, tags, phones, e-mails) are unioned; a conflicting
/// non-empty value follows the `ConflictPolicy` (default: the newer source wins). A replaced primary e-mail
/// is kept among the other e-mails, so it still identifies the person.
public struct LeadMerger: Sendable {
    public var policy: ConflictPolicy

    public init(policy: ConflictPolicy = .newerWins) {
        self.policy = policy
    }

    public func merge(_ incoming: LeadFields, into existing: LeadFields) -> (fields: LeadFields, changes: [FieldChange])
    {
        var merge = FieldMerge<LeadFields, LeadField>(existing: existing, incoming: incoming, policy: policy)
        merge.scalar(\.firstName, .firstName)
        merge.scalar(\.lastName, .lastName)
        merge.scalar(\.title, .title)
        merge.scalar(\.seniority, .seniority, show: \.rawValue)
        merge.union(\.departments, .departments, key: { $0 }, show: { $0 })
        if let replaced = merge.scalar(\.email, .email, show: \.value) {
            merge.result.otherEmails.insert(replaced, at: 0)
        }
        merge.scalar(\.emailStatus, .emailStatus, show: \.rawValue)
        let primary = merge.result.email
        merge.union(\.otherEmails, .otherEmails, key: \.value, show: \.value)
        merge.result.otherEmails.removeAll { $0 == primary }
        merge.union(\.phones, .phones, key: \.comparisonKey, show: \.text)
        merge.scalar(\.linkedinURL, .linkedinURL, show: \.value)
        merge.scalar(\.city, .city)
        merge.scalar(\.state, .state)
        merge.scalar(\.country, .country, show: \.code)
        merge.scalar(\.timeZone, .timeZone)
        merge.scalar(\.owner, .owner)
        merge.union(\.tags, .tags, key: { $0.lowercased() }, show: { $0 })
        merge.scalar(\.apolloPersonID, .apolloPersonID)
        merge.scalar(\.apolloContactID, .apolloContactID)
        for (key, value) in incoming.customFields.sorted(by: { $0.key < $1.key }) {
            let old = merge.result.customFields[key]
            guard old != value, old == nil || policy == .newerWins else { continue }
            merge.record(FieldChange(field: "custom_fields.\(key)", oldValue: old, newValue: value)) {
                $0.customFields[key] = value
            }
        }
        return (merge.result, merge.changes)
    }

    public func merge(_ incoming: CompanyFields, into existing: CompanyFields) -> (
        fields: CompanyFields, changes: [FieldChange]
    ) {
        var merge = FieldMerge<CompanyFields, CompanyField>(existing: existing, incoming: incoming, policy: policy)
        merge.scalar(\.name, .name)
        merge.scalar(\.domain, .domain, show: \.value)
        merge.scalar(\.linkedinURL, .linkedinURL, show: \.value)
        merge.scalar(\.industry, .industry)
        merge.scalar(\.employeeCount, .employeeCount)
        merge.scalar(\.annualRevenue, .annualRevenue)
        merge.scalar(\.phone, .phone)
        merge.scalar(\.city, .city)
        merge.scalar(\.state, .state)
        merge.scalar(\.country, .country, show: \.code)
        merge.scalar(\.apolloOrganizationID, .apolloOrganizationID)
        return (merge.result, merge.changes)
    }
}
