import Foundation

/// One attempt to make: the message, where it goes, and which attempt this is (1 for the first).
public struct WebhookDelivery: Sendable, Equatable {
    public var messageID: String
    public var endpointID: String
    public var eventType: String
    public var body: String
    public var attempt: Int

    public init(messageID: String, endpointID: String, eventType: String, body: String, attempt: Int) {
        self.messageID = messageID
        self.endpointID = endpointID
        self.eventType = eventType
        self.body = body
        self.attempt = attempt
    }
}

/// What one attempt got: the status (nil when no answer came: a timeout, a refused connection, a URL the
/// outbound policy refused), the start of the answer, and how long it took.
public struct WebhookAttemptResult: Sendable, Equatable {
    public var statusCode: Int?
    public var error: String?
    public var responseExcerpt: String
    public var durationMilliseconds: Int
    /// The endpoint's `Retry-After`, in seconds.
    public var retryAfter: TimeInterval?

    public init(
        statusCode: Int?, error: String? = nil, responseExcerpt: String = "", durationMilliseconds: Int,
        retryAfter: TimeInterval? = nil
    ) {
        self.statusCode = statusCode
        self.error = error
        self.responseExcerpt = responseExcerpt
        self.durationMilliseconds = durationMilliseconds
        self.retryAfter = retryAfter
    }

    /// Any 2xx; a redirect is a failure (Standard Webhooks).
    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}

/// A message as its delivery log shows it.
public struct WebhookMessage: Sendable, Equatable {
    public enum State: String, Sendable {
        case pending, delivered, failed
    }

    public var id: String
    public var eventType: String
    public var subject: String?
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastStatus: Int?
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date
}

/// One attempt as the delivery log shows it.
public struct WebhookAttempt: Sendable, Equatable {
    public var id: String
    public var messageID: String
    public var eventType: String
    public var attempt: Int
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var statusCode: Int?
    public var error: String?
    public var responseExcerpt: String
    public var succeeded: Bool
}
