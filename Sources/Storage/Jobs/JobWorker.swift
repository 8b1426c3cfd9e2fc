import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Tracing

/// Runs one kind of job. Throw `RetryLater` to say when the next attempt may start; any other error is a
/// failed attempt retried with the queue's backoff.
public protocol JobHandler: Sendable {
    func run(_ job: Job) async throws
}

/// A failed attempt that names the earliest time to try again, such as a provider's `Retry-After`.
public struct RetryLater: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var after: TimeInterval

    public init(_ reason: String, after: TimeInterval) {
        self.reason = reason
        self.after = after
    }

    public var description: String { reason }
}

/// Claims due jobs and runs them with their handlers, several at a time, holding each job's lease with
/// heartbeats. On graceful shutdown it stops claiming and lets the jobs in flight finish.
public struct JobWorker: Service {
    public struct Options: Sendable {
        public var queues: [String] = ["default"]
        public var concurrency = 4
        public var lease: TimeInterval = 60
        /// How long to wait before looking again when no job is due.
        public var idleDelay: Duration = .milliseconds(500)

        public init() {}
    }

    let queue: JobQueue
    let handlers: [String: any JobHandler]
    let options: Options
    let name: String
    let logger: Logger
    /// Signalled when jobs are enqueued; idle workers wait on it, polling `idleDelay` at the latest.
    public let wakeups: JobWakeups
    /// Where each run's kind, outcome and duration are counted for `/metrics`.
    let metrics: JobMetrics?

    public init(
        queue: JobQueue, handlers: [String: any JobHandler], options: Options = Options(),
        name: String = "worker-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))",
        wakeups: JobWakeups = JobWakeups(), metrics: JobMetrics? = nil, logger: Logger
    ) {
        self.metrics = metrics
        self.queue = queue
        self.handlers = handlers
        self.options = options
        self.name = name
        self.wakeups = wakeups
        self.logger = logger
    }

    public func run() async throws {
        let stopping = SharedFlag()
        try await withGracefulShutdownHandler {
            try await runUntil { stopping.isSet }
        } onGracefulShutdown: {
            stopping.set()
        }
    }

    /// Claims and runs jobs until `shouldStop` says so, then waits for the jobs in flight.
    func runUntil(_ shouldStop: @escaping @Sendable () -> Bool) async throws {
        let inFlight = SharedCounter()
        try await withThrowingDiscardingTaskGroup { group in
            while !shouldStop() && !Task.isCancelled {
                let room = options.concurrency - inFlight.value
                let jobs: [Job]
                do {
                    jobs =
                        room > 0
                        ? try await queue.claim(queues: options.queues, worker: name, lease: options.lease, limit: room)
                        : []
                } catch {
                    // A database that is briefly unreachable or busy must not end the worker: wait, then try again.
                    logger.warning("could not claim jobs", metadata: ["error": "\(String(reflecting: error))"])
                    try await Task.sleep(for: options.idleDelay * 4)
                    continue
                }
                for job in jobs {
                    inFlight.add(1)
                    group.addTask {
                        if await execute(job) { await record { try await queue.complete(job.id, worker: name) } }
                        inFlight.add(-1)
                        // Room for another job: look again now rather than after the idle delay.
                        await wakeups.signal()
                    }
                }
                if jobs.isEmpty { await wakeups.wait(upTo: options.idleDelay) }
            }
        }
    }

    /// Runs every job that is due now, then returns how many ran (tests, and one-off runs from the CLI).
    @discardableResult
    public func drain() async throws -> Int {
        var count = 0
        while true {
            let jobs = try await queue.claim(
                queues: options.queues, worker: name, lease: options.lease, limit: options.concurrency)
            if jobs.isEmpty { return count }
            let succeeded = await withTaskGroup(of: String?.self) { group in
                for job in jobs { group.addTask { await execute(job) ? job.id : nil } }
                return await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            // One statement completes the whole batch.
            await record { try await queue.complete(succeeded, worker: name) }
            count += jobs.count
        }
    }

    /// Runs the job and records a failure; returns true when it succeeded and is still to be completed.
    /// Runs one given job in the caller's task if no worker has taken it yet; true when it ran and succeeded.
    public func runNow(_ jobID: String) async -> Bool {
        guard let job = try? await queue.claim(id: jobID, worker: name, lease: options.lease) else { return false }
        let succeeded = await execute(job)
        if succeeded { await record { try await queue.complete(job.id, worker: name) } }
        return succeeded
    }

    func execute(_ job: Job) async -> Bool {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = .string(job.id)
        jobLogger[metadataKey: "kind"] = .string(job.kind)
        let logger = jobLogger
        guard let handler = handlers[job.kind] else {
            logger.error("no handler for this kind of job")
            await record {
                try await queue.fail(job.id, worker: name, error: "no handler for jobs of kind '\(job.kind)'")
            }
            return false
        }
        // One span per attempt, a root of its own: the job outlives the request that queued it.
        return await withSpan("job \(job.kind)", context: .topLevel, ofKind: .consumer) { span in
            span.attributes["leadgen.job.id"] = job.id
            span.attributes["leadgen.job.kind"] = job.kind
            span.attributes["leadgen.job.queue"] = job.queue
            span.attributes["leadgen.job.attempt"] = job.attempts
            if let traceParent = job.traceParent {
                // A link, not a parent: the job runs after the request that queued it has ended, maybe many times.
                var queuedBy = ServiceContext.topLevel
                InstrumentationSystem.instrument.extract(
                    ["traceparent": traceParent], into: &queuedBy, using: DictionaryExtractor())
                span.addLink(SpanLink(context: queuedBy, attributes: [:]))
            }
            return await attempt(job, handler: handler, span: span, logger: logger)
        }
    }

    /// Runs one attempt of a job while renewing its lease, and records its outcome on the queue, the metrics
    /// and the span.
    private func attempt(_ job: Job, handler: any JobHandler, span: any Span, logger: Logger) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await keepLease(job, logger: logger) }
            defer { group.cancelAll() }
            // A duration, not a time of day: the monotonic clock.
            let started = ContinuousClock.now
            func measured(_ outcome: JobMetrics.Outcome) {
                let elapsed = (ContinuousClock.now - started).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                metrics?.record(kind: job.kind, outcome: outcome, seconds: seconds)
                span.attributes["leadgen.job.outcome"] = outcome.rawValue
            }
            do {
                try await handler.run(job)
                measured(.succeeded)
                return true
            } catch let retry as RetryLater {
                measured(.retryLater)
                span.addEvent(
                    SpanEvent(
                        name: "retry later", attributes: ["leadgen.job.retry_after_seconds": .double(retry.after)]))
                logger.notice("job will be retried later", metadata: ["reason": "\(retry.reason)"])
                await record {
                    try await queue.fail(job.id, worker: name, error: retry.reason, retryAfter: retry.after)
                }
                return false
            } catch {
                measured(.failed)
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
                logger.warning("job failed", metadata: ["error": "\(String(reflecting: error))"])
                await record { try await queue.fail(job.id, worker: name, error: "\(error)") }
                return false
            }
        }
    }

    /// Renews the lease at a third of its length until cancelled.
    private func keepLease(_ job: Job, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(options.lease / 3))
                if try await !queue.heartbeat(job.id, worker: name, lease: options.lease) {
                    logger.warning("lost the lease of a running job; another worker may run it again")
                    return
                }
            } catch {
                return
            }
        }
    }

    /// Writes a job's outcome; a database error is logged, and the lease expiry brings the job back.
    private func record(_ write: () async throws -> some Any) async {
        do { _ = try await write() } catch {
            logger.error("could not record a job's outcome", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

/// A flag set from one task and read from others.
final class SharedFlag: Sendable {
    private let storage = Atomic(false)
    var isSet: Bool { storage.load(ordering: .acquiring) }
    func set() { storage.store(true, ordering: .releasing) }
}

/// A counter shared by the tasks of a worker.
final class SharedCounter: Sendable {
    private let storage = Atomic(0)
    var value: Int { storage.load(ordering: .acquiring) }
    func add(_ amount: Int) { storage.add(amount, ordering: .acquiringAndReleasing) }
}
