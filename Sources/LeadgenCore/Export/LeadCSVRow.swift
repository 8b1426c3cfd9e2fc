import Foundation

/// The columns of the CSV export: the lead's id and status, every stored `LeadField` by its key, the main
/// company fields as `company_<key>`, the lead's times, and what verification found about its e-mail.
/// Values are written as `LeadField.text(in:)` writes them: lists joined by ", ", a country as its ISO code.
public enum LeadCSVRow {
    static let companyFields: [CompanyField] = [.name, .domain, .linkedinURL, .industry, .employeeCount]

    public static let header =
        ["id", "status"] + LeadField.stored.map(\.key) + companyFields.map { "company_\($0.key)" }
        + ["created_at", "updated_at", "email_verification", "email_verification_reason"]

    public static func fields(_ lead: Lead, company: Company?, verification: EmailVerification? = nil) -> [String] {
        [lead.id.rawValue, lead.status.rawValue] + LeadField.stored.map { $0.text(in: lead.fields) ?? "" }
            + companyFields.map { field in company.flatMap { field.text(in: $0.fields) } ?? "" }
            + [lead.createdAt.formatted(.iso8601), lead.updatedAt.formatted(.iso8601)]
            + [verification?.outcome.rawValue ?? "", verification?.reason ?? ""]
    }
}
