import Foundation

/// A token bucket per provider, shared by every request of the process: `capacity` requests at once, refilled
/// at `perSecond`. A provider that says it is out of quota (a 429's Retry-After, a "requests left: 0"
/// header) pauses the whole bucket, so concurrent workers wait instead of each collecting its own 429.
public actor RateLimiter {
    let capacity: Double
    let perSecond: Double
    private var tokens: Double
    private var updated: Double
    private var pausedUntil: Double = 0
    private let now: @Sendable () -> Double
    private let sleep: @Sendable (TimeInterval) async throws -> Void

    public init(
        capacity: Int, perSecond: Double,
        now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.capacity = Double(max(1, capacity))
        self.perSecond = max(0.001, perSecond)
        tokens = Double(max(1, capacity))
        self.now = now
        self.sleep = sleep
        updated = now()
    }

    /// Waits until a request may be sent, and takes its token.
    public func acquire() async throws {
        while true {
            let time = now()
            if time < pausedUntil {
                try await sleep(pausedUntil - time)
                continue
            }
            tokens = min(capacity, tokens + (time - updated) * perSecond)
            updated = time
            if tokens >= 1 {
                tokens -= 1
                return
            }
            try await sleep((1 - tokens) / perSecond)
        }
    }

    /// Stops every request for `seconds` (a 429's Retry-After, or the time until a quota resets).
    public func pause(for seconds: TimeInterval) {
        pausedUntil = max(pausedUntil, now() + max(0, seconds))
    }

    /// Reads what a provider's rate-limit headers say is left; none left pauses until the window resets.
    public func observe(remaining: Int?, resetIn: TimeInterval?) {
        if let remaining, remaining <= 0 { pause(for: resetIn ?? 60) }
    }
}
