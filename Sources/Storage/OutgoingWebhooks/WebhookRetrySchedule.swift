import Foundation

/// When a failed webhook attempt is tried again: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, so eight
/// attempts over about 27 hours (Standard Webhooks' suggested schedule, cut at the day Svix also keeps to).
/// An endpoint's `Retry-After` can push an attempt later, up to a day, never sooner.
public struct WebhookRetrySchedule: Sendable {
    /// The wait after the first, second, … failed attempt.
    public var delays: [TimeInterval]
    /// An endpoint that fails every attempt for this long is disabled.
    public var disableAfter: TimeInterval

    public init(delays: [TimeInterval], disableAfter: TimeInterval) {
        self.delays = delays
        self.disableAfter = disableAfter
    }

    public static let standard = WebhookRetrySchedule(
        delays: [5, 300, 1800, 7200, 18000, 36000, 36000], disableAfter: 5 * 86400)

    /// The longest `Retry-After` honoured.
    static let longestRetryAfter: TimeInterval = 86400

    /// How long to wait after failed attempt `attempt` (1-based), or nil when it was the last.
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval? = nil) -> TimeInterval? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        let scheduled = delays[attempt - 1]
        guard let retryAfter, retryAfter.isFinite, retryAfter > scheduled else { return scheduled }
        return min(retryAfter, Self.longestRetryAfter)
    }

    /// How many attempts a message gets.
    public var attempts: Int { delays.count + 1 }
}
