import Automation
import Foundation
import LeadgenCore
import Storage

/// Runs one scenario run — from its trigger's bundles, or, for a retry, from where an incomplete execution
/// stopped — and records its report. Then: the bundles it parked become incomplete executions (or the
/// retried one is resolved or counts an attempt); a sequential scenario's next run is queued in the
/// transaction that finishes this one; and after `maxErrors` failed runs in a row the scenario is disabled.
/// Used by the run job, and by a webhook request that runs its scenario itself.
struct ScenarioExecutor: Sendable {
    let database: LeadgenDatabase
    let scenarios: ScenarioService
    let effects: ScenarioEffectStore

    var store: ScenarioStore { scenarios.store }

    /// Runs it and returns it finished.
    @discardableResult
    func execute(_ run: StoredScenarioRun, _ scenario: StoredScenario) async throws -> StoredScenarioRun {
        defer { scenarios.completions.finished(run.id) }
        let blueprint: Blueprint
        do {
            blueprint = try scenarios.blueprints.blueprint(of: scenario)
        } catch {
            return try await record(.failed("\(error)"), of: run, scenario, settings: nil, retrying: nil)
        }
        if run.status == .queued { try await store.markRunning(run.id) }
        let ledger = StoredEffectLedger(runID: run.id, store: effects)
        let limits = RunLimits(try await scenarios.limits.get(run.workspaceID))
        let state = RunState(
            executionID: run.id, now: scenarios.time.now, workspaceID: run.workspaceID.rawValue, effects: ledger,
            limits: limits)
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
        let finished = try await record(report, of: run, scenario, settings: blueprint.settings, retrying: retrying)
        if ledger.wasUsed { try await effects.clear(run: run.id) }
        return finished
    }

    /// Records as failed a run that will not be run again (its job was given up), with the reason.
    func giveUp(_ run: StoredScenarioRun, _ scenario: StoredScenario, reason: String) async throws {
        _ = try await record(.failed(reason), of: run, scenario, settings: nil, retrying: nil)
    }

    private func record(
        _ report: RunReport, of run: StoredScenarioRun, _ scenario: StoredScenario, settings: ScenarioSettings?,
        retrying: IncompleteExecution?
    ) async throws -> StoredScenarioRun {
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
        finished.finishedAt = scenarios.time.now()
        if confidential { finished.input = nil }
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
        return finished
    }
}
