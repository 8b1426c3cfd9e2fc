import LeadgenCore

/// Who a message is from: the name and address recipients see, and the physical postal address the law asks
/// every commercial e-mail to carry (CAN-SPAM; docs/reference/messaging.md §6.1).
public struct Sender: Sendable, Equatable, Codable {
    public var name: String
    public var email: String
    public var title: String?
    public var physicalAddress: String

    public init(name: String, email: String, title: String? = nil, physicalAddress: String) {
        self.name = name
        self.email = email
        self.title = title
        self.physicalAddress = physicalAddress
    }
}

/// What a sequence's templates can say about a lead, its company and the sender: every `LeadField` by its
/// key (`first_name`, `title`, `country` as a name…), `phone` (the first number), `custom.<field>`,
/// `company.<key>` for every `CompanyField` (also `company_name` and `company_domain`), and
/// `sender.name|email|title|address`.
public enum MessageVariables {
    /// Stand-ins for empty values unless a sequence sets its own: "Hi {{first_name}}" → "Hi there".
    public static let defaultFallbacks = [
        "first_name": "there", "company.name": "your company", "company_name": "your company",
    ]

    public static func values(lead: Lead, company: Company?, sender: Sender) -> TemplateValues {
        let f = lead.fields
        var fields: [String: TemplateValue] = [:]
        func put(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { fields[name] = .text(value) }
        }
        for field in LeadField.allCases { put(field.key, field.text(in: f, style: .human)) }
        put("phone", f.phones.first?.text)
        if !f.customFields.isEmpty { fields["custom"] = .object(f.customFields.mapValues { .text($0) }) }
        if let company {
            var companyFields: [String: TemplateValue] = [:]
            for field in CompanyField.allCases {
                if let value = field.text(in: company.fields, style: .human) { companyFields[field.key] = .text(value) }
            }
            fields["company"] = .object(companyFields)
            put("company_name", company.fields.name)
            put("company_domain", company.fields.domain?.value)
        }
        var senderFields: [String: TemplateValue] = [
            "name": .text(sender.name), "email": .text(sender.email), "address": .text(sender.physicalAddress),
        ]
        if let title = sender.title { senderFields["title"] = .text(title) }
        fields["sender"] = .object(senderFields)
        return TemplateValues(fields)
    }
}
