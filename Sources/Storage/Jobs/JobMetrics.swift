import LeadgenCore
import Synchronization

/// The jobs this process ran, by kind and outcome, with the time they took: `leadgen_jobs_run_total` and the
/// `leadgen_job_run_seconds` histogram at `/metrics`.
public final class JobMetrics: MetricsSource {
    public enum Outcome: String, Sendable { case succeeded, failed, retryLater = "retry_later" }

    struct Key: Hashable, Comparable {
        var kind: String
        var outcome: String
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.kind, lhs.outcome) < (rhs.kind, rhs.outcome) }
    }

    private let durations = Mutex<[Key: LatencyHistogram]>([:])

    public init() {}

    public func record(kind: String, outcome: Outcome, seconds: Double) {
        durations.withLock {
            $0[
                Key(kind: kind, outcome: outcome.rawValue),
                default: LatencyHistogram(bounds: LatencyHistogram.workBounds)
            ]
            .record(seconds)
        }
    }

    public func prometheusText() -> String {
        var runs = PrometheusFamily(
            "leadgen_jobs_run_total", .counter, help: "Jobs this process ran, by kind and outcome.")
        var seconds = PrometheusFamily(
            "leadgen_job_run_seconds", .histogram, help: "Time this process spent running jobs, by kind and outcome.")
        for (key, histogram) in durations.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            runs.add(["kind": key.kind, "outcome": key.outcome], histogram.count)
            seconds.add(["kind": key.kind, "outcome": key.outcome], histogram: histogram)
        }
        return runs.text + seconds.text
    }
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
