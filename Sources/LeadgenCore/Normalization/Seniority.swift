import Foundation

/// A person's level in their organization, in Apollo's vocabulary.
public enum Seniority: String, CaseIterable, Sendable, Codable {
    case owner, founder
    case cSuite = "c_suite"
    case partner, vp, head, director, manager, senior, entry, intern

    /// Reads Apollo's own values in any casing and spacing ("C suite", "c-suite", "VP").
    public init?(apolloValue raw: String) {
        let key = String(raw.trimmingWhitespace().lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
        switch key {
        case "c_level", "csuite", "c_suite", "executive": self = .cSuite
        case "vice_president": self = .vp
        default:
            guard let value = Seniority(rawValue: key) else { return nil }
            self = value
        }
    }

    /// Infers the level from a job title; nil when the title does not say.
    public init?(title: String) {
        let words = title.lowercased().split { !$0.isLetter }.map(String.init)
        guard !words.isEmpty else { return nil }
        let set = Set(words)
        let text = " " + words.joined(separator: " ") + " "
        func has(_ phrase: String) -> Bool { text.contains(" \(phrase) ") }

        if set.contains("intern") || set.contains("internship") || set.contains("trainee") {
            self = .intern
        } else if has("vice president") || !set.isDisjoint(with: ["vp", "svp", "evp", "avp"]) {
            self = .vp
        } else if set.contains("founder") || set.contains("cofounder") || has("co founder") {
            self = .founder
        } else if !set.isDisjoint(with: Seniority.chiefTitles) || has("chief") || set.contains("president") {
            self = .cSuite
        } else if set.contains("owner") {
            self = .owner
        } else if set.contains("partner") && set.isDisjoint(with: ["manager", "marketing", "partnerships"]) {
            self = .partner
        } else if has("head") {
            self = .head
        } else if set.contains("director") {
            self = has("managing director") ? .cSuite : .director
        } else if !set.isDisjoint(with: ["manager", "mgr", "supervisor"]) {
            self = .manager
        } else if !set.isDisjoint(with: ["senior", "sr", "principal", "staff", "lead"]) {
            self = .senior
        } else if !set.isDisjoint(with: ["junior", "jr", "associate", "assistant", "coordinator", "graduate"]) {
            self = .entry
        } else {
            return nil
        }
    }

    private static let chiefTitles: Set<String> = [
        "ceo", "cfo", "cto", "coo", "cmo", "cio", "cro", "cpo", "ciso", "cso", "cdo", "cco", "chro",
    ]
}
