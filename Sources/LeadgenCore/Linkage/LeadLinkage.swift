import Foundation

/// What record linkage compares of a lead, and how it finds candidate leads: names, the e-mail's local part,
/// the company's domain, the phone's last seven digits and the title.
///
/// The local part counts only for what it says beyond the name (see `mailboxName`).
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
    /// changed the sound, or both names' sounds either way round, for a record with them swapped), namesakes
    /// by sound and initial, one phone, one mailbox name, one full name.
    public static let blockingRules: [[String]] = [
        ["company_domain", "soundex(last_name)"],
        ["company_domain", "soundex_any(first_name, last_name)"],
        ["company_domain", "first(last_name, 2)"],
        ["soundex(last_name)", "first(first_name, 1)"],
        ["phone"],
        ["email_local_part"],
        ["first_name", "last_name"],
    ]

    /// The match probability at and above which two leads are taken for one person, unless told otherwise.
    public static let defaultThreshold = 0.9

    /// The settings of lead linkage.
    public static func settings(threshold: Double = defaultThreshold) throws -> LinkageSettings {
        try LinkageSettings(
            fields: fields, blockingRules: blockingRules, swappable: [["first_name", "last_name"]], threshold: threshold
        )
    }

    /// What a mailbox's name says beyond the person's name, or nil when it says nothing more.
    ///
    /// Most work addresses are made of the name ("ada.lovelace", "alovelace"): agreeing on such a local part
    /// only repeats that the names agree, and a namesake at another company has the same one. What is left
    /// when the name, its initials and separators are taken out ("countess1815" of "countess.ada1815") is the
    /// person's own choice, and tells people apart.
    static func mailboxName(_ local: String, first: String?, last: String?) -> String? {
        var rest = local.lowercased()
        let names = [first, last].compactMap { $0?.lowercased().filter(\.isLetter) }.filter { !$0.isEmpty }
        for name in names.sorted(by: { $0.count > $1.count }) {
            rest = rest.replacingOccurrences(of: name, with: " ")
        }
        let separators: Set<Character> = [".", "_", "-", "+", " "]
        let tokens: [Substring] = rest.split(whereSeparator: { (c: Character) -> Bool in separators.contains(c) })
        let left: [String] = tokens.filter { $0.count > 1 || $0.first?.isNumber == true }.map { String($0) }
        let kept: String = left.joined(separator: ".")
        // "1" or "jr" says too little to tell two people apart.
        return kept.count < 3 ? nil : kept
    }

    /// A lead's values in the order of `fields`.
    public static func values(_ lead: LeadFields, companyDomain: String?) -> [String?] {
        var local: String?
        if let email = lead.email?.value, let at = email.lastIndex(of: "@") {
            local = mailboxName(String(email[..<at]), first: lead.firstName, last: lead.lastName)
        }
        let phone = lead.phones.first.map { $0.e164 ?? $0.raw }
        let digits = (phone ?? "").unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }
        let tail = digits.count >= 7 ? String(String.UnicodeScalarView(digits.suffix(7))) : nil
        return [lead.firstName, lead.lastName, local, companyDomain, tail, lead.title]
    }
}
