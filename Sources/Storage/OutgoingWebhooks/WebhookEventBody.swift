import Foundation
import LeadgenCore

/// The body of an outgoing webhook: `{"type", "timestamp", "data"}`, as Standard Webhooks suggests. `data`
/// holds the event's payload and, for a lead's events, the lead as the API shows it.
enum WebhookEventBody {
    static func text(type: String, at time: Date, payload: JSON, lead: JSON?) -> String {
        var data = payload.objectValue ?? [:]
        if let lead { data["lead"] = lead }
        return JSON.object([
            "type": .string(type), "timestamp": .string(timestamp(time)), "data": .object(data),
        ]).text
    }

    /// ISO 8601 in UTC with milliseconds: "2026-12-07T10:15:00.000Z".
    static func timestamp(_ time: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: time)
    }

    /// The lead as the API shows it, as JSON.
    static func lead(_ lead: LeadDTO) -> JSON? {
        (try? JSONEncoder.api.encode(lead)).flatMap { try? JSON.parse($0) }
    }
}
