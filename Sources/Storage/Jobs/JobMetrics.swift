import Foundation
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
        let rows = totals.withLock { $0 }.sorted { $0.key < $1.key }
        var text = "# HELP leadgen_jobs_run_total Jobs this process ran, by kind and outcome.\n"
        text += "# TYPE leadgen_jobs_run_total counter\n"
        for (key, value) in rows { text += "leadgen_jobs_run_total\(Self.labels(key)) \(value.runs)\n" }
        text += "# HELP leadgen_job_run_seconds_sum Time this process spent running jobs, by kind and outcome.\n"
        text += "# TYPE leadgen_job_run_seconds_sum counter\n"
        for (key, value) in rows {
            text += "leadgen_job_run_seconds_sum\(Self.labels(key)) \(String(format: "%.6f", value.seconds))\n"
        }
        return text
    }

    private static func labels(_ key: Key) -> String { "{kind=\"\(key.kind)\",outcome=\"\(key.outcome)\"}" }
}

/// The queue as the database holds it, read at each scrape: `leadgen_jobs` by queue, kind and state (pending,
/// running, dead), the figure to scale workers on.
public struct QueueDepthMetrics: MetricsSource {
    let queue: JobQueue

    public init(queue: JobQueue) { self.queue = queue }

    public func prometheusText() async -> String {
        var text = "# HELP leadgen_jobs Jobs in the queue, by queue, kind and state.\n# TYPE leadgen_jobs gauge\n"
        guard let rows = try? await queue.depth() else { return text }
        for row in rows {
            text += "leadgen_jobs{queue=\"\(row.queue)\",kind=\"\(row.kind)\",state=\"\(row.state)\"} \(row.count)\n"
        }
        return text
    }
}
