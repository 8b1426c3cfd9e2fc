/// Where a lead stands in the team's process.
public enum LeadStatus: String, CaseIterable, Sendable, Codable {
    case new, enriched, contacted, replied, qualified, disqualified
}

/// How sure we are that a lead's e-mail address reaches a mailbox.
public enum EmailStatus: String, CaseIterable, Sendable, Codable {
    case verified, unverified, extrapolated, likelyToEngage = "likely_to_engage", catchAll = "catch_all"
    case unavailable, bounced, invalid

    /// Reads Apollo's values in any casing ("Verified", "Likely to engage", "Catch-all").
    public init?(text: String) {
        let key = text.trimmingWhitespace().lowercased()
            .split { $0 == " " || $0 == "-" || $0 == "_" }.joined(separator: "_")
        switch key {
        case "guessed": self = .extrapolated
        case "catchall": self = .catchAll
        case "user_managed", "new_data_available", "pending_manual_fulfillment": self = .unverified
        default:
            guard let value = EmailStatus(rawValue: key) else { return nil }
            self = value
        }
    }
}
