import Automation
import Foundation
import LeadgenCore
import SQLKit
import Storage
import Synchronization

/// Imports scenarios and starts their runs on the job queue.
public struct ScenarioService: Sendable {
    let database: LeadgenDatabase
    public let store: ScenarioStore
    /// Platform events and the scenarios that watch them.
    public let events: AutomationEventStore
    let jobs: JobQueue
    public let runner: ScenarioRunner
    public let completions: ScenarioRunCompletions
    /// Wakes this process's idle workers once a run is queued, so a webhook's run starts at once.
    let wake: @Sendable () async -> Void
    let time: TimeSource
    /// The time zone of daily and weekly schedules.
    let timeZone: TimeZone

    public init(
        database: LeadgenDatabase, store: ScenarioStore, events: AutomationEventStore, jobs: JobQueue,
        runner: ScenarioRunner,
        completions: ScenarioRunCompletions, wake: @escaping @Sendable () async -> Void = {},
        time: TimeSource = .system, timeZone: TimeZone = .gmt
    ) {
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
            enabled: enabled, in: workspace)
        var problems =
            BlueprintValidator.problems(blueprint, supported: runner.supported)
            + PlatformEventTrigger.problems(blueprint)
        try await events.subscribe(
            scenario.id, workspace: workspace, to: PlatformEventTrigger.events(of: blueprint))
        do {
            scenario.nextRunAt = try await refreshSchedule(scenario)
        } catch let error as ScenarioSchedule.Unsupported {
            problems.append(BlueprintProblem(moduleID: nil, module: nil, message: error.description))
        }
        return Imported(scenario: scenario, blueprint: blueprint, problems: problems)
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
            let input = "[{}]"
            let (store, jobs) = (self.store, self.jobs)
            let ran = try await database.transaction { db -> Bool in
                guard try await store.advance(scenario.id, dueAt: now, to: next, on: db) else { return false }
                let run = try await store.createRun(scenario, trigger: "schedule", input: input, on: db)
                try await jobs.enqueue(
                    try NewJob(
                        kind: ScenarioRunJob.kind, payload: ScenarioRunJob.Arguments(runID: run.id),
                        queue: ScenarioRunJob.queue, uniqueKey: "scenario-run:\(run.id)",
                        workspace: scenario.workspaceID),
                    on: db)
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

    /// Records a queued run and its job on `db`, the caller's transaction.
    func queue(_ scenario: StoredScenario, trigger: String, bundles: [JSON], on db: any SQLDatabase) async throws
        -> (run: StoredScenarioRun, jobID: String?)
    {
        let input = String(decoding: try JSON.array(bundles).data(), as: UTF8.self)
        let run = try await store.createRun(scenario, trigger: trigger, input: input, on: db)
        let jobID = try await jobs.enqueue(
            try NewJob(
                kind: ScenarioRunJob.kind, payload: ScenarioRunJob.Arguments(runID: run.id),
                queue: ScenarioRunJob.queue, priority: 2, uniqueKey: "scenario-run:\(run.id)",
                workspace: scenario.workspaceID),
            on: db)
        return (run, jobID)
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

/// Wakes the requests waiting for runs this process finishes. Every waiter is resumed exactly once: by the
/// run finishing or by its timeout, whichever removes it from the table first.
public final class ScenarioRunCompletions: Sendable {
    private let waiters = Mutex<[String: [(token: Int, continuation: CheckedContinuation<Void, Never>)]]>([:])
    private let tokens = Mutex(0)

    public init() {}

    public func finished(_ id: String) {
        let woken = waiters.withLock { $0.removeValue(forKey: id) ?? [] }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Returns when the run finishes here or after `timeout`, whichever comes first.
    func wait(for id: String, upTo timeout: Duration) async {
        let token = tokens.withLock { value -> Int in
            value += 1
            return value
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters.withLock { $0[id, default: []].append((token, continuation)) }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id, token)
            }
        }
    }

    private func expire(_ id: String, _ token: Int) {
        let waiter = waiters.withLock { table -> CheckedContinuation<Void, Never>? in
            guard let index = table[id]?.firstIndex(where: { $0.token == token }) else { return nil }
            let found = table[id]!.remove(at: index).continuation
            if table[id]!.isEmpty { table[id] = nil }
            return found
        }
        waiter?.resume()
    }
}

/// Runs one queued scenario run and records its report.
public struct ScenarioRunJob: JobHandler {
    public static let kind = "scenario_run"
    public static let queue = "automation"

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public init(runID: String) { self.runID = runID }
    }

    let store: ScenarioStore
    let effects: ScenarioEffectStore
    let runner: ScenarioRunner
    let completions: ScenarioRunCompletions

    public init(
        store: ScenarioStore, effects: ScenarioEffectStore, runner: ScenarioRunner, completions: ScenarioRunCompletions
    ) {
        self.store = store
        self.effects = effects
        self.runner = runner
        self.completions = completions
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        guard let run = try await store.run(arguments.runID), !run.isFinished,
            let scenario = try await store.get(run.scenarioID, in: nil)
        else { return }
        defer { completions.finished(run.id) }
        let blueprint: Blueprint
        do {
            blueprint = try Blueprint(data: Data(scenario.blueprint.utf8))
        } catch {
            try await store.finish(
                run.id, status: .error, operations: 0, report: nil, response: nil, error: "\(error)", keepInput: true)
            return
        }
        try await store.markRunning(run.id)
        let bundles = (try? JSON.parse(Data((run.input ?? "[]").utf8)))?.arrayValue ?? []
        let report = await runner.run(
            blueprint, trigger: bundles,
            state: RunState(
                executionID: run.id, workspaceID: run.workspaceID.rawValue,
                effects: StoredEffectLedger(runID: run.id, store: effects)))
        let status: StoredScenarioRun.Status =
            switch report.status {
            case .success: .success
            case .warning: .warning
            case .error: .error
            }
        let response = try report.response.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let confidential = blueprint.settings.confidential
        var stored = report
        // A confidential run keeps no data: the response is kept only until the webhook's caller gets it.
        if confidential { stored.response = nil }
        try await store.finish(
            run.id, status: status, operations: report.operations,
            report: String(decoding: try stored.json.data(), as: UTF8.self), response: response, error: report.error,
            keepInput: !confidential)
        try await effects.clear(run: run.id)
    }
}

/// Every minute: starts the runs of scheduled scenarios that are due.
public struct ScenarioScheduleTick: JobHandler {
    public static let kind = "scenario_schedule_tick"
    public static let scheduleName = "scenario-schedules"

    let scenarios: ScenarioService

    public init(scenarios: ScenarioService) {
        self.scenarios = scenarios
    }

    public func run(_ job: Job) async throws {
        _ = try await scenarios.startDueRuns()
    }
}
