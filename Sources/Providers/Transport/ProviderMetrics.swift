import LeadgenCore
import Synchronization

/// Counts provider calls by provider and status, with their total duration: what an operator needs to see
/// that a vendor is failing or slow. Rendered in the Prometheus text format at `/metrics`.
public final class ProviderMetrics: MetricsSource {
    public struct Key: Hashable, Sendable, Comparable {
        public var provider: String
        /// The HTTP status, or "timeout" / "unreachable" when no answer came.
        public var outcome: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.provider, lhs.outcome) < (rhs.provider, rhs.outcome)
        }
    }

    public struct Totals: Sendable, Equatable {
        public var requests = 0
        public var seconds = 0.0
    }

    private let totals = Mutex<[Key: Totals]>([:])

    public init() {}

    public func record(provider: String, outcome: String, seconds: Double) {
        totals.withLock {
            $0[Key(provider: provider, outcome: outcome), default: Totals()].requests += 1
            $0[Key(provider: provider, outcome: outcome), default: Totals()].seconds += seconds
        }
    }

    public var snapshot: [Key: Totals] { totals.withLock { $0 } }

    /// `leadgen_provider_requests_total` and `leadgen_provider_request_seconds_sum`, one sample per key.
    public func prometheusText() -> String {
        var requests = PrometheusFamily(
            "leadgen_provider_requests_total", .counter, help: "Provider calls by provider and outcome.")
        var seconds = PrometheusFamily(
            "leadgen_provider_request_seconds_sum", .counter, help: "Time spent waiting for providers.")
        for (key, value) in snapshot.sorted(by: { $0.key < $1.key }) {
            requests.add(["provider": key.provider, "outcome": key.outcome], value.requests)
            seconds.add(["provider": key.provider, "outcome": key.outcome], seconds: value.seconds)
        }
        return requests.text + seconds.text
    }
}
