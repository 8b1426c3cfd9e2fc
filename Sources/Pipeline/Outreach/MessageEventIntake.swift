import Foundation
import LeadgenCore
import Storage

/// What the messaging vendors report — deliveries, opens, clicks, bounces, complaints, opt-outs and replies —
/// applied once. Each event is kept in the engagement log however often its vendor delivers it; an opt-out
/// (an unsubscribe, a spam report, a hard bounce, an SMS STOP) puts the address or number on the workspace's
/// suppression list with an audit entry, and START lifts an SMS opt-out; then the event is applied to the
/// message it is about (`EngagementRecorder`), which stops the lead's sequence on a reply, a bounce or an
/// opt-out. The webhook controllers verify and decode; the rules are here.
public struct MessageEventIntake: Sendable {
    let events: MessageEventStore
    let suppressions: SuppressionStore
    let engagement: EngagementRecorder

    public init(events: MessageEventStore, suppressions: SuppressionStore, engagement: EngagementRecorder) {
        self.events = events
        self.suppressions = suppressions
        self.engagement = engagement
    }

    /// An e-mail event or reply (SendGrid, Mailgun). Returns whether it was new; a repeated one changes nothing.
    @discardableResult
    public func email(
        _ event: MessageEvent, about reference: EngagementRecorder.Reference, in workspace: WorkspaceID
    ) async throws -> Bool {
        guard try await events.record(event, in: workspace) else { return false }
        if let recipient = event.recipient, let reason = Self.suppressionReason(emailEvent: event.kind) {
            try await suppressions.suppress(.email, recipient, reason: reason, source: event.provider, in: workspace)
        }
        try await apply(event, event.kind, reference, in: workspace)
        return true
    }

    /// Why an e-mail event of this kind suppresses its recipient, nil when it does not: hard bounces,
    /// complaints and unsubscribes, and the vendor's drops for those reasons.
    public static func suppressionReason(emailEvent kind: String) -> String? {
        switch kind {
        case "bounced", "dropped_bounced": "bounced"
        case "spam_report", "dropped_spam_report": "spam_report"
        case "unsubscribed", "dropped_unsubscribed": "unsubscribed"
        default: nil
        }
    }

    /// An SMS status callback (Twilio). Error 21610 means Twilio refused the message because the recipient
    /// had replied STOP, so the number is suppressed.
    @discardableResult
    public func smsStatus(
        _ event: MessageEvent, errorCode: String?, about reference: EngagementRecorder.Reference,
        in workspace: WorkspaceID
    ) async throws -> Bool {
        guard try await events.record(event, in: workspace) else { return false }
        if errorCode == "21610", let number = event.recipient {
            try await suppressions.suppress(
                .phone, number, reason: "sms_stop", source: event.provider, detail: "error 21610", in: workspace)
        }
        try await apply(event, event.kind, reference, in: workspace)
        return true
    }

    /// Twilio's default opt-out, opt-in and help keywords: the whole body, one word, any case.
    public static let stopWords: Set<String> = [
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
    ]
    public static let startWords: Set<String> = ["START", "YES", "UNSTOP"]
    public static let helpWords: Set<String> = ["HELP", "INFO"]

    /// What an inbound SMS is — `sms_stop`, `sms_start`, `sms_help` or `replied` — by Twilio's `OptOutType`
    /// when it sends one, else by the body being one of the keywords.
    public static func smsKind(keyword: String, optOutType: String?) -> String {
        switch optOutType?.uppercased() ?? keyword {
        case let word where stopWords.contains(word): "sms_stop"
        case let word where startWords.contains(word): "sms_start"
        case let word where helpWords.contains(word): "sms_help"
        default: "replied"
        }
    }

    /// An inbound SMS whose sender is the event's recipient and whose kind is `smsKind`: STOP suppresses the
    /// number and ends its enrolments, START lifts the suppression, a reply stops the sequence, HELP is only
    /// kept. `keyword` is the body as the audit entry records it.
    @discardableResult
    public func smsInbound(_ event: MessageEvent, keyword: String, in workspace: WorkspaceID) async throws -> Bool {
        guard try await events.record(event, in: workspace), let from = event.recipient else { return false }
        let reference = EngagementRecorder.Reference(provider: event.provider, from: from, channel: "sms")
        switch event.kind {
        case "sms_stop":
            try await suppressions.suppress(
                .phone, from, reason: "sms_stop", source: event.provider, detail: keyword, in: workspace)
            try await apply(event, "unsubscribed", reference, in: workspace)
            try await engagement.suppressed(from, channel: "sms", reason: "sms_stop", in: workspace)
        case "replied":
            try await apply(event, "replied", reference, in: workspace)
        case "sms_start":
            try await suppressions.lift(
                .phone, from, reason: "sms_start", source: event.provider, detail: keyword, in: workspace)
        default: break
        }
        return true
    }

    private func apply(
        _ event: MessageEvent, _ kind: String, _ reference: EngagementRecorder.Reference, in workspace: WorkspaceID
    ) async throws {
        try await engagement.record(
            kind: kind, reference, at: event.occurredAt, event: (event.provider, event.eventKey), in: workspace)
    }
}
