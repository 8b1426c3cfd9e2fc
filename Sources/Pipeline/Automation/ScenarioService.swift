import Automation
import Foundation
import LeadgenCore
import SQLKit
import Storage

/// Imports scenarios and starts their runs on the job queue.
public struct ScenarioService: Sendable {
    let database: LeadgenDatabase
    public let store: ScenarioStore
    /// Platform events and the scenarios that watch them.
    public let events: AutomationEventStore
    let jobs: JobQueue
    public let runner: ScenarioRunner
    public let completions: ScenarioRunCompletions
    /// Bundles runs parked to be run again.
    public let incompletes: ScenarioIncompleteStore
    /// Parsed blueprints, shared by the webhook requests and the runs of this process.
    public let blueprints = BlueprintCache()
    /// The runs' effect ledgers.
    let effects: ScenarioEffectStore
    /// Each workspace's limits for its runs (operations, seconds, bytes).
    public let limits: ScenarioLimitsStore
    /// How long a run a request runs itself is held before another process may take it over (renewed a
    /// third of the way through).
    let inlineLease: TimeInterval
    /// Wakes this process's idle workers once a run is queued, so a webhook's run starts at once.
    let wake: @Sendable () async -> Void
    let time: TimeSource
    /// The time zone of daily and weekly schedules.
    let timeZone: TimeZone

    public init(
        database: LeadgenDatabase, store: ScenarioStore, events: AutomationEventStore, jobs: JobQueue,
        runner: ScenarioRunner,
        completions: ScenarioRunCompletions, incompletes: ScenarioIncompleteStore, effects: ScenarioEffectStore,
        limits: ScenarioLimitsStore,
        wake: @escaping @Sendable () async -> Void = {}, time: TimeSource, timeZone: TimeZone = .gmt,
        inlineLease: TimeInterval = 60
    ) {
        self.incompletes = incompletes
        self.effects = effects
        self.limits = limits
        self.inlineLease = inlineLease
        self.time = time
        self.timeZone = timeZone
        self.database = database
        self.store = store
        self.events = events
        self.jobs = jobs
        self.runner = runner
        self.completions = completions
        self.wake = wake
    }

    /// What an import did: the scenario, and what the engine cannot run in it.
    public struct Imported: Sendable {
        public var scenario: StoredScenario
        public var blueprint: Blueprint
        public var problems: [BlueprintProblem]
    }

    /// Stores a blueprint as a scenario. It is imported even when some modules cannot run; they are listed.
    public func importBlueprint(_ data: Data, name: String?, enabled: Bool, in workspace: WorkspaceID) async throws
        -> Imported
    {
        let blueprint = try Blueprint(data: data)
        let text = String(decoding: try blueprint.json.data(), as: UTF8.self)
        var scenario = try await store.create(
            name: name ?? (blueprint.name.isEmpty ? "Imported scenario" : blueprint.name), blueprint: text,
            enabled: enabled, sequential: blueprint.settings.sequential, in: workspace)
        var problems = self.problems(blueprint)
        try await events.subscribe(
            scenario.id, workspace: workspace, to: PlatformEventTrigger.events(of: blueprint))
        do {
            scenario.nextRunAt = try await refreshSchedule(scenario)
        } catch let error as ScenarioSchedule.Unsupported {
            problems.append(BlueprintProblem(moduleID: nil, module: nil, message: error.description))
        }
        return Imported(scenario: scenario, blueprint: blueprint, problems: problems)
    }

    /// What the engine cannot run in the blueprint.
    public func problems(_ blueprint: Blueprint) -> [BlueprintProblem] {
        BlueprintValidator.problems(blueprint, supported: runner.supported) + PlatformEventTrigger.problems(blueprint)
    }

    /// The platform events that start the blueprint.
    public func watchedEvents(_ blueprint: Blueprint) -> [String] {
        PlatformEventTrigger.events(of: blueprint)
    }

    /// Enables or disables a scenario, and sets (or clears) when its schedule runs it next.
    public func setEnabled(_ scenario: StoredScenario, _ enabled: Bool) async throws {
        _ = try await store.setEnabled(scenario.id, enabled, in: scenario.workspaceID)
        var changed = scenario
        changed.enabled = enabled
        _ = try? await refreshSchedule(changed)
    }

    /// Computes and stores the scenario's next scheduled run; nil when it does not run by itself.
    @discardableResult
    func refreshSchedule(_ scenario: StoredScenario) async throws -> Date? {
        let blueprint = try Blueprint(data: Data(scenario.blueprint.utf8))
        let schedule = try ScenarioSchedule.parse(blueprint.scheduling)
        let next = scenario.enabled ? schedule?.next(after: time.now(), timeZone: timeZone) : nil
        try await store.setNextRun(scenario.id, at: next)
        return next
    }

    /// Starts the runs of scheduled scenarios that are due; each due run is started once across processes.
    public func startDueRuns() async throws -> Int {
        let now = time.now()
        var started = 0
        for scenario in try await store.due(at: now) {
            guard scenario.nextRunAt != nil,
                let blueprint = try? Blueprint(data: Data(scenario.blueprint.utf8)),
                let schedule = try? ScenarioSchedule.parse(blueprint.scheduling)
            else { continue }
            let next = schedule.next(after: now, timeZone: timeZone)
            let (store, service) = (self.store, self)
            let ran = try await database.transaction { db -> Bool in
                guard try await store.advance(scenario.id, dueAt: now, to: next, on: db) else { return false }
                _ = try await service.queue(scenario, trigger: "schedule", bundles: [.object([:])], on: db)
                return true
            }
            if ran { started += 1 }
        }
        if started > 0 { await wake() }
        return started
    }

    /// Queues a run with the trigger's bundles; the run and its job are written in one transaction.
    public func start(_ scenario: StoredScenario, trigger: String, bundles: [JSON]) async throws -> StoredScenarioRun {
        let queued = try await queue(scenario, trigger: trigger, bundles: bundles)
        await wake()
        return queued.run
    }

    /// Queues a run and returns its job's id too, for a caller that runs it at once (`JobWorker.runNow`);
    /// no worker is woken.
    public func queue(_ scenario: StoredScenario, trigger: String, bundles: [JSON]) async throws -> (
        run: StoredScenarioRun, jobID: String?
    ) {
        let service = self
        return try await database.transaction { db in
            try await service.queue(scenario, trigger: trigger, bundles: bundles, on: db)
        }
    }

    /// What runs runs: the job, or a request that runs its scenario itself.
    var executor: ScenarioExecutor { ScenarioExecutor(database: database, scenarios: self, effects: effects) }

    /// Runs a webhook's run in the caller's task and returns it finished. The run is written first, held
    /// by this process for `inlineLease` (renewed while it runs), so should the process die the run is not
    /// lost: once the hold runs out, the minute's sweep queues it as a job (`adoptAbandonedRuns`). Not for
    /// sequential scenarios, whose runs wait their turn.
    public func runInline(_ scenario: StoredScenario, trigger: String, bundles: [JSON]) async throws
        -> StoredScenarioRun
    {
        let input = String(decoding: try JSON.array(bundles).data(), as: UTF8.self)
        let run = try await store.createRun(
            scenario, trigger: trigger, input: input, status: .running,
            leaseUntil: time.now().addingTimeInterval(inlineLease))
        let (store, lease, time) = (self.store, self.inlineLease, self.time)
        let holder = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(lease / 3))
                try await store.renewLease(run.id, until: time.now().addingTimeInterval(lease))
            }
        }
        defer { holder.cancel() }
        return try await executor.execute(run, scenario)
    }

    /// Queues as jobs the runs a request was running itself when its process died (their hold ran out);
    /// each is taken over once, even with several processes sweeping.
    public func adoptAbandonedRuns() async throws -> Int {
        var adopted = 0
        for run in try await store.abandonedRuns(at: time.now()) {
            let (store, service, now) = (self.store, self, time.now())
            let took = try await database.transaction { db -> Bool in
                guard try await store.release(run.id, abandonedAt: now, on: db) else { return false }
                _ = try await service.enqueueJob(for: run, on: db)
                return true
            }
            if took { adopted += 1 }
        }
        if adopted > 0 { await wake() }
        return adopted
    }

    /// Records as failed the open runs whose jobs were given up (a run that kills its worker is not tried a
    /// fourth time), with the job's reason; a sequential scenario's next run then gets its turn.
    public func failRunsOfDeadJobs() async throws -> Int {
        var failed = 0
        for (run, error) in try await store.runsOfDeadJobs() {
            guard let scenario = try await store.get(run.scenarioID, in: run.workspaceID) else { continue }
            try await executor.giveUp(run, scenario, reason: error)
            failed += 1
        }
        return failed
    }

    /// Records a queued run and its job on `db`, the caller's transaction. A sequential scenario's run waits
    /// without a job while another run of it is open; the run before it queues its job when it finishes.
    func queue(_ scenario: StoredScenario, trigger: String, bundles: [JSON], on db: any SQLDatabase) async throws
        -> (run: StoredScenarioRun, jobID: String?)
    {
        let input = String(decoding: try JSON.array(bundles).data(), as: UTF8.self)
        return try await queue(scenario, trigger: trigger, input: input, on: db)
    }

    func queue(_ scenario: StoredScenario, trigger: String, input: String, on db: any SQLDatabase) async throws
        -> (run: StoredScenarioRun, jobID: String?)
    {
        if scenario.sequential {
            try await lockSequence(scenario.id, on: db)
            if try await store.hasOpenRun(scenario.id, on: db) {
                return (try await store.createRun(scenario, trigger: trigger, input: input, on: db), nil)
            }
        }
        let run = try await store.createRun(scenario, trigger: trigger, input: input, on: db)
        return (run, try await enqueueJob(for: run, on: db))
    }

    func enqueueJob(for run: StoredScenarioRun, on db: any SQLDatabase) async throws -> String? {
        try await jobs.enqueue(
            try NewJob(
                kind: ScenarioRunJob.kind, payload: ScenarioRunJob.Arguments(runID: run.id),
                queue: ScenarioRunJob.queue, priority: 2, uniqueKey: "scenario-run:\(run.id)",
                workspace: run.workspaceID),
            on: db)
    }

    /// Serializes the queueing and finishing of a sequential scenario's runs (PostgreSQL; SQLite's single
    /// writer does it already).
    func lockSequence(_ scenarioID: String, on db: any SQLDatabase) async throws {
        guard database.kind == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "scenario-sequence:" + scenarioID)))").run()
    }

    // MARK: Incomplete executions

    /// Queues a retry of an incomplete execution, from the module it stopped at; nil when it is being
    /// retried or was resolved already.
    public func retry(_ incomplete: IncompleteExecution) async throws -> StoredScenarioRun? {
        guard let scenario = try await store.get(incomplete.scenarioID, in: incomplete.workspaceID) else { return nil }
        let (service, incompletes) = (self, self.incompletes)
        let input = String(decoding: try JSON.object(["incomplete_id": .string(incomplete.id)]).data(), as: UTF8.self)
        let queued: StoredScenarioRun
        do {
            queued = try await database.transaction { db -> StoredScenarioRun in
                let (run, _) = try await service.queue(scenario, trigger: "retry", input: input, on: db)
                guard try await incompletes.startRetry(incomplete.id, run: run.id, on: db) else {
                    throw NothingToRetry()
                }
                return run
            }
        } catch is NothingToRetry {
            return nil
        }
        await wake()
        return queued
    }

    struct NothingToRetry: Error {}

    /// Queues the automatic retries that are due; returns how many.
    public func startDueRetries() async throws -> Int {
        var started = 0
        for item in try await incompletes.due(at: time.now()) where try await retry(item) != nil {
            started += 1
        }
        return started
    }

    /// Waits for a run to finish, up to `timeout`: woken at once when this process ran it, else polling the
    /// database (another worker process ran it).
    public func waitForRun(_ id: String, timeout: Duration) async throws -> StoredScenarioRun? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let run = try await store.run(id), run.isFinished { return run }
            await completions.wait(for: id, upTo: min(.milliseconds(250), deadline - ContinuousClock.now))
        }
        return try await store.run(id)
    }
}
