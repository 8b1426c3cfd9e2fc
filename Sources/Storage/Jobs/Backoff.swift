import Foundation

/// How long a failed job waits before its next attempt: attempt⁴ seconds (1 s, 16 s, 81 s, 256 s, … about
/// 1.9 days before the 20th), plus up to 10% random jitter so jobs that failed together do not retry together,
/// and never sooner than the provider's Retry-After.
public struct Backoff: Sendable {
    /// Returns a number in the range; injected so tests can fix it.
    let random: @Sendable (ClosedRange<Double>) -> Double

    public init(random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) {
        self.random = random
    }

    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval? = nil) -> TimeInterval {
        let base = pow(Double(max(1, attempt)), 4)
        let jittered = base + random(0...(base * 0.1))
        return max(jittered, retryAfter ?? 0)
    }
}
