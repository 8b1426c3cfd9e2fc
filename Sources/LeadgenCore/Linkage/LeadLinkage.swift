/// What record linkage compares of a lead, and how it finds candidate leads: names, the e-mail's local part,
/// the company's domain, the phone's last seven digits and the title.
///
/// City is left out on purpose. The model takes fields as independent once it is known whether two records
/// are one person, but colleagues share their office's city as they share the company: agreeing on city
/// would count the company twice, and two colleagues with one surname would pass for one person. The
/// e-mail's local part is compared exactly: colleagues' addresses look alike ("ada.smith", "bob.smith").
public enum LeadLinkage {
    public static let fields: [LinkageSettings.Field] = [
        .init("first_name", .name, termFrequency: true),
        .init("last_name", .name, termFrequency: true),
        .init("email_local_part", .exact),
        .init("company_domain", .exact),
        .init("phone", .exact),
        .init("title", .text),
    ]

    /// The rules that propose candidates: colleagues by surname (its sound, or its first letters when a typo
    /// changed the sound), namesakes by sound and initial, one phone, one mailbox name, one full name.
    public static let blockingRules: [[String]] = [
        ["company_domain", "soundex(last_name)"],
        ["company_domain", "first(last_name, 2)"],
        ["soundex(last_name)", "first(first_name, 1)"],
        ["phone"],
        ["email_local_part"],
        ["first_name", "last_name"],
    ]

    /// The settings of lead linkage, with `threshold` as the documented default.
    public static func settings(threshold: Double = 0.9) throws -> LinkageSettings {
        try LinkageSettings(fields: fields, blockingRules: blockingRules, threshold: threshold)
    }

    /// A lead's values in the order of `fields`.
    public static func values(_ lead: LeadFields, companyDomain: String?) -> [String?] {
        var local: String?
        if let email = lead.email?.value, let at = email.lastIndex(of: "@") { local = String(email[..<at]) }
        let phone = lead.phones.first.map { $0.e164 ?? $0.raw }
        let digits = (phone ?? "").unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }
        let tail = digits.count >= 7 ? String(String.UnicodeScalarView(digits.suffix(7))) : nil
        return [lead.firstName, lead.lastName, local, companyDomain, tail, lead.title]
    }
}
