import LeadgenCore

/// Who may be enrolled in a sequence: a lead is never enrolled when the sequence could not reach it or must
/// not (reference: issue "Outreach sequences", item 2).
public enum EnrollmentRules {
    public enum Refusal: String, Sendable, Equatable, Codable {
        /// The sequence sends e-mail and the lead has no address.
        case noEmail = "no_email"
        /// Its address bounced or is known to be invalid.
        case invalidEmail = "invalid_email"
        /// Verification found that its address reaches no mailbox (`leadgen verify emails`).
        case undeliverableEmail = "undeliverable_email"
        /// An SMS-only sequence, and the lead has no phone number in E.164.
        case noPhone = "no_phone"
        /// Its address, domain or number is on the suppression list.
        case suppressed
        /// The sequence is exclusive and the lead is active in another one.
        case activeElsewhere = "active_elsewhere"
    }

    /// Why the lead may not be enrolled, or nil. `verification` is what verifying its address found, if it was
    /// verified; `isSuppressed` says whether an address or number is on the workspace's suppression list.
    public static func refusal(
        _ lead: Lead, _ sequence: SequenceDefinition, activeElsewhere: Bool,
        verification: EmailVerification.Outcome? = nil,
        isSuppressed: (_ email: String?, _ phone: String?) async throws -> Bool
    ) async rethrows -> Refusal? {
        let sendsEmail = sequence.steps.contains { if case .email = $0.kind { true } else { false } }
        let sendsSMS = sequence.steps.contains { if case .sms = $0.kind { true } else { false } }
        let phone = lead.fields.phones.compactMap(\.e164).first
        if sendsEmail {
            guard let email = lead.fields.email else { return .noEmail }
            if lead.fields.emailStatus == .bounced || lead.fields.emailStatus == .invalid { return .invalidEmail }
            if verification == .undeliverable { return .undeliverableEmail }
            if try await isSuppressed(email.value, nil) { return .suppressed }
        } else if sendsSMS {
            guard let phone else { return .noPhone }
            if try await isSuppressed(nil, phone) { return .suppressed }
        }
        if sequence.exclusive, activeElsewhere { return .activeElsewhere }
        return nil
    }
}
