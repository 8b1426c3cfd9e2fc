import LeadgenCore

/// Counts provider calls by provider and status, with how long they took: what an operator needs to see that a
/// vendor is failing or slow. `leadgen_provider_requests_total` and the `leadgen_provider_request_seconds`
/// histogram at `/metrics`.
public final class ProviderMetrics: MetricsSource {
    private let calls = DurationMetrics(
        labels: ["provider", "outcome"],
        counter: ("leadgen_provider_requests_total", "Provider calls by provider and outcome."),
        histogram: ("leadgen_provider_request_seconds", "Time spent waiting for providers."),
        bounds: LatencyHistogram.workBounds)

    public init() {}

    /// `outcome` is the HTTP status, or "timeout", "unreachable" or "refused" when no answer came.
    public func record(provider: String, outcome: String, seconds: Double) {
        calls.record([provider, outcome], seconds: seconds)
    }

    public func prometheusText() -> String { calls.prometheusText() }
}
