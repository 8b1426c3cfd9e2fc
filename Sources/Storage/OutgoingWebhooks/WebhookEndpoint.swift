import Foundation
import LeadgenCore

/// A URL a workspace wants its events sent to, and which events (`["*"]` for all).
public struct WebhookEndpoint: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Receives the events it subscribed.
        case active
        /// Receives nothing, and nothing is kept for it, until it is made active again.
        case paused
        /// Stopped by us: it answered 410 Gone, or failed every attempt for five days.
        case disabled
    }

    public var id: String
    public var workspaceID: WorkspaceID
    public var url: String
    public var description: String
    public var events: [String]
    public var status: Status
    /// Why it was disabled, for the people who will look.
    public var disabledReason: String?
    /// The first failed attempt since its last success; nil while it is healthy.
    public var failingSince: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, workspaceID: WorkspaceID, url: String, description: String, events: [String], status: Status,
        disabledReason: String? = nil, failingSince: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.url = url
        self.description = description
        self.events = events
        self.status = status
        self.disabledReason = disabledReason
        self.failingSince = failingSince
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether it subscribed to events of this type.
    public func wants(_ eventType: String) -> Bool {
        events.contains("*") || events.contains(eventType)
    }

    /// The event types an endpoint may subscribe to: every platform event, and the test event.
    public static let eventTypes: [String] = PlatformEvent.Kind.allCases.map(\.rawValue) + [testEventType]

    /// What `POST /api/v1/webhooks/{id}/test` sends.
    public static let testEventType = "webhook.test"

    /// An endpoint's signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks asks for
    /// 24 to 64).
    public static func newSecret() -> String {
        "whsec_" + Data(Secrets.randomBytes(32)).base64EncodedString()
    }
}

/// What a new endpoint, or an edit of one, sets.
public struct WebhookEndpointChange: Sendable {
    public var url: String?
    public var description: String?
    public var events: [String]?
    public var status: WebhookEndpoint.Status?

    public init(
        url: String? = nil, description: String? = nil, events: [String]? = nil, status: WebhookEndpoint.Status? = nil
    ) {
        self.url = url
        self.description = description
        self.events = events
        self.status = status
    }
}
