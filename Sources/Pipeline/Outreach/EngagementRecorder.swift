import Foundation
import LeadgenCore
import Outreach
import Storage

/// Applies a vendor's event to the message it is about — found by our id (sent along as a custom argument or
/// variable), by the vendor's message id, or, for a reply that names neither, as the latest message to its
/// sender — under the sequence's own rules (stop on reply, stop the company on reply).
public struct EngagementRecorder: Sendable {
    let engagement: MessageEngagementStore
    let sequences: SequenceStore

    public init(engagement: MessageEngagementStore, sequences: SequenceStore) {
        self.engagement = engagement
        self.sequences = sequences
    }

    /// What an event names of its message.
    public struct Reference: Sendable {
        public var messageID: String?
        public var provider: String
        public var providerMessageID: String?
        /// For replies and opt-outs that name no message: who wrote, on which channel.
        public var from: String?
        public var channel: String

        public init(
            messageID: String? = nil, provider: String, providerMessageID: String? = nil, from: String? = nil,
            channel: String = "email"
        ) {
            self.messageID = messageID
            self.provider = provider
            self.providerMessageID = providerMessageID
            self.from = from
            self.channel = channel
        }
    }

    /// Applies the event of kind `kind` (as the engagement log names it); returns the message it was about, or
    /// nil when it names none of ours or counts as no engagement.
    @discardableResult
    public func record(
        kind: String, _ reference: Reference, at date: Date, event: (provider: String, key: String)?,
        in workspace: WorkspaceID
    ) async throws -> OutreachMessage? {
        guard let engagement = Engagement(eventKind: kind) else { return nil }
        var message = try await self.engagement.find(
            messageID: reference.messageID, provider: reference.provider,
            providerMessageID: reference.providerMessageID, in: workspace)
        if message == nil, let from = reference.from {
            message = try await self.engagement.latest(to: from, channel: reference.channel, in: workspace)
        }
        if message == nil, let from = reference.from {
            message = try await self.engagement.latest(toLeadWith: from, channel: reference.channel, in: workspace)
        }
        guard let message else { return nil }
        var stopOnReply = true
        var stopCompany = false
        if engagement == .replied, let stored = try await sequences.get(message.sequenceID, in: workspace),
            let definition = try? SequenceDefinition(json: Data(stored.definition.utf8))
        {
            stopOnReply = definition.stopOnReply
            stopCompany = definition.stopCompanyOnReply
        }
        try await self.engagement.apply(
            engagement, to: message, at: date, event: event, stopOnReply: stopOnReply, stopCompany: stopCompany)
        return message
    }

    /// Ends the enrolments of the leads with this address or number: it was suppressed (an unsubscribe
    /// through the one-click link, an SMS STOP).
    public func suppressed(_ recipient: String, channel: String, reason: String, in workspace: WorkspaceID)
        async throws
    {
        let status: Enrollment.Status = reason == "bounced" ? .bounced : .unsubscribed
        try await engagement.stopEnrollments(
            recipient: recipient, channel: channel, status: status, reason: "suppressed: \(reason)", in: workspace)
    }
}
