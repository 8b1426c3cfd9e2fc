import LeadgenCore
import Synchronization

/// The jobs this process ran, by kind and outcome, with the time they took: `leadgen_jobs_run_total` and
/// `leadgen_job_run_seconds_sum` at `/metrics` (their ratio is the mean run time).
public final class JobMetrics: MetricsSource {
    public enum Outcome: String, Sendable { case succeeded, failed, retryLater = "retry_later" }

    struct Key: Hashable, Comparable {
        var kind: String
        var outcome: String
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.kind, lhs.outcome) < (rhs.kind, rhs.outcome) }
    }

    private let totals = Mutex<[Key: (runs: Int, seconds: Double)]>([:])

    public init() {}

    public func record(kind: String, outcome: Outcome, seconds: Double) {
        totals.withLock {
            let key = Key(kind: kind, outcome: outcome.rawValue)
            let now = $0[key] ?? (0, 0)
            $0[key] = (now.runs + 1, now.seconds + seconds)
        }
    }

    public func prometheusText() -> String {
        var runs = PrometheusFamily(
            "leadgen_jobs_run_total", .counter, help: "Jobs this process ran, by kind and outcome.")
        var seconds = PrometheusFamily(
            "leadgen_job_run_seconds_sum", .counter,
            help: "Time this process spent running jobs, by kind and outcome.")
        for (key, value) in totals.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            runs.add(["kind": key.kind, "outcome": key.outcome], value.runs)
            seconds.add(["kind": key.kind, "outcome": key.outcome], seconds: value.seconds)
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
