import Automation
import Foundation
import LeadgenCore
import Storage

/// Runs one queued scenario run — from its trigger's bundles, or, for a retry, from where an incomplete
/// execution stopped — and records its report. Then: the bundles it parked become incomplete executions (or
/// the retried one is resolved or counts an attempt); a sequential scenario's next run is queued in the
/// transaction that finishes this one; and after `maxErrors` failed runs in a row the scenario is disabled.
public struct ScenarioRunJob: JobHandler {
    public static let kind = "scenario_run"
    public static let queue = "automation"

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public init(runID: String) { self.runID = runID }
    }

    let database: LeadgenDatabase
    let scenarios: ScenarioService
    let effects: ScenarioEffectStore

    public init(database: LeadgenDatabase, scenarios: ScenarioService, effects: ScenarioEffectStore) {
        self.database = database
        self.scenarios = scenarios
        self.effects = effects
    }

    var store: ScenarioStore { scenarios.store }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        let run: StoredScenarioRun
        let scenario: StoredScenario
        if let prepared = scenarios.inline.prepared(arguments.runID) {
            (run, scenario) = prepared
        } else {
            guard let stored = try await store.run(arguments.runID), !stored.isFinished,
                let found = try await store.get(stored.scenarioID, in: nil)
            else { return }
            (run, scenario) = (stored, found)
        }
        defer { scenarios.completions.finished(run.id) }
        let blueprint: Blueprint
        do {
            blueprint = try scenarios.blueprints.blueprint(of: scenario)
        } catch {
            return try await record(.failed("\(error)"), of: run, scenario, settings: nil, retrying: nil)
        }
        if run.status == .queued { try await store.markRunning(run.id) }
        let ledger = StoredEffectLedger(runID: run.id, store: effects)
        let state = RunState(executionID: run.id, workspaceID: run.workspaceID.rawValue, effects: ledger)
        let input = (try? JSON.parse(Data((run.input ?? "[]").utf8))) ?? .array([])
        var retrying: IncompleteExecution?
        let report: RunReport
        if run.trigger == "retry", let id = input["incomplete_id"]?.stringValue {
            retrying = try await scenarios.incompletes.get(id)
            let outputs = retrying?.outputs.flatMap { try? JSON.parse(Data($0.utf8)) }?.objectValue
            if let retrying, let outputs {
                report = await scenarios.runner.resume(blueprint, at: retrying.moduleID, outputs: outputs, state: state)
            } else {
                report = .failed("the incomplete execution \(id) has no data to run again")
            }
        } else {
            report = await scenarios.runner.run(blueprint, trigger: input.arrayValue ?? [], state: state)
        }
        try await record(report, of: run, scenario, settings: blueprint.settings, retrying: retrying)
        if ledger.wasUsed { try await effects.clear(run: run.id) }
    }

    private func record(
        _ report: RunReport, of run: StoredScenarioRun, _ scenario: StoredScenario, settings: ScenarioSettings?,
        retrying: IncompleteExecution?
    ) async throws {
        let status: StoredScenarioRun.Status =
            switch report.status {
            case .success: .success
            case .warning: .warning
            case .error: .error
            }
        let confidential = settings?.confidential ?? false
        let response = try report.response.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        var stored = report
        // A confidential run keeps no data: the response is kept only until the webhook's caller gets it.
        if confidential { stored.response = nil }
        let reportText = String(decoding: try stored.json.data(), as: UTF8.self)
        let (store, scenarios) = (self.store, self.scenarios)
        if scenario.sequential {
            try await database.transaction { db in
                try await store.finish(
                    run.id, status: status, operations: report.operations, report: reportText, response: response,
                    error: report.error, keepInput: !confidential, on: db)
                try await scenarios.lockSequence(scenario.id, on: db)
                if let next = try await store.oldestQueuedRun(scenario.id, on: db) {
                    _ = try await scenarios.enqueueJob(for: next, on: db)
                }
            }
            await scenarios.wake()
        } else {
            try await store.finish(
                run.id, status: status, operations: report.operations, report: reportText, response: response,
                error: report.error, keepInput: !confidential)
        }
        var finished = run
        finished.status = status
        finished.operations = report.operations
        finished.report = reportText
        finished.response = response
        finished.error = report.error
        finished.finishedAt = Date()
        if confidential { finished.input = nil }
        scenarios.inline.finished(finished)
        if let retrying {
            let resolved = report.status == .success
            try await scenarios.incompletes.finishRetry(
                retrying.id, resolved: resolved, error: resolved ? nil : report.error ?? report.incomplete.first?.error)
        } else if !report.incomplete.isEmpty {
            try await scenarios.incompletes.park(
                report.incomplete.map {
                    ScenarioIncompleteStore.Parked(
                        moduleID: $0.moduleID,
                        outputs: try? String(decoding: JSON.object($0.outputs).data(), as: UTF8.self),
                        error: $0.error, autoRetry: $0.retry, maxAttempts: $0.attempts, intervalMinutes: $0.interval)
                }, run: run.id, scenario: scenario.id, workspace: scenario.workspaceID)
        }
        if status == .error, let maxErrors = settings?.maxErrors, maxErrors > 0 {
            let last = try await store.lastStatuses(scenario.id, count: maxErrors)
            if last.count == maxErrors, last.allSatisfy({ $0 == .error }) {
                try await scenarios.setEnabled(scenario, false)
            }
        }
    }
}

/// Every minute: starts the runs of scheduled scenarios that are due and the automatic retries of
/// incomplete executions, and deletes run history past its retention.
public struct ScenarioScheduleTick: JobHandler {
    public static let kind = "scenario_schedule_tick"
    public static let scheduleName = "scenario-schedules"

    let scenarios: ScenarioService
    /// How long finished runs are kept; nil keeps them all.
    let retention: TimeInterval?
    let time: TimeSource

    public init(scenarios: ScenarioService, retention: TimeInterval?, time: TimeSource = .system) {
        self.scenarios = scenarios
        self.retention = retention
        self.time = time
    }

    public func run(_ job: Job) async throws {
        _ = try await scenarios.startDueRuns()
        _ = try await scenarios.startDueRetries()
        if let retention {
            let cutoff = time.now().addingTimeInterval(-retention)
            while try await scenarios.store.pruneRuns(finishedBefore: cutoff) > 0 {}
        }
    }
}
