import LeadgenCore

/// The jobs this process ran, by kind and outcome, with the time they took: `leadgen_jobs_run_total` and the
/// `leadgen_job_run_seconds` histogram at `/metrics`.
public final class JobMetrics: MetricsSource {
    public enum Outcome: String, Sendable { case succeeded, failed, retryLater = "retry_later" }

    private let runs = DurationMetrics(
        labels: ["kind", "outcome"],
        counter: ("leadgen_jobs_run_total", "Jobs this process ran, by kind and outcome."),
        histogram: ("leadgen_job_run_seconds", "Time this process spent running jobs, by kind and outcome."),
        bounds: LatencyHistogram.workBounds)

    public init() {}

    public func record(kind: String, outcome: Outcome, seconds: Double) {
        runs.record([kind, outcome.rawValue], seconds: seconds)
    }

    public func prometheusText() -> String { runs.prometheusText() }
}

/// The queue as the database holds it, read at each scrape: `leadgen_jobs` by queue, kind and state (pending,
/// running, dead), the figure to scale workers on.
public struct QueueDepthMetrics: MetricsSource {
    let queue: JobQueue

    public init(queue: JobQueue) { self.queue = queue }

    public func prometheusText() async -> String {
        var jobs = PrometheusFamily("leadgen_jobs", .gauge, help: "Jobs in the queue, by queue, kind and state.")
        for row in (try? await queue.depth()) ?? [] {
            jobs.add(["queue": row.queue, "kind": row.kind, "state": row.state], row.count)
        }
        return jobs.text
    }
}
