import LeadgenCore
import Synchronization

/// Counts provider calls by provider and status, with how long they took: what an operator needs to see that a
/// vendor is failing or slow. Rendered in the Prometheus text format at `/metrics`.
public final class ProviderMetrics: MetricsSource {
    public struct Key: Hashable, Sendable, Comparable {
        public var provider: String
        /// The HTTP status, or "timeout" / "unreachable" when no answer came.
        public var outcome: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.provider, lhs.outcome) < (rhs.provider, rhs.outcome)
        }
    }

    private let durations = Mutex<[Key: LatencyHistogram]>([:])

    public init() {}

    public func record(provider: String, outcome: String, seconds: Double) {
        durations.withLock {
            $0[
                Key(provider: provider, outcome: outcome),
                default: LatencyHistogram(bounds: LatencyHistogram.workBounds)
            ]
            .record(seconds)
        }
    }

    /// `leadgen_provider_requests_total` and the `leadgen_provider_request_seconds` histogram, one series per key.
    public func prometheusText() -> String {
        var requests = PrometheusFamily(
            "leadgen_provider_requests_total", .counter, help: "Provider calls by provider and outcome.")
        var seconds = PrometheusFamily(
            "leadgen_provider_request_seconds", .histogram, help: "Time spent waiting for providers.")
        for (key, histogram) in durations.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            requests.add(["provider": key.provider, "outcome": key.outcome], histogram.count)
            seconds.add(["provider": key.provider, "outcome": key.outcome], histogram: histogram)
        }
        return requests.text + seconds.text
    }
}
