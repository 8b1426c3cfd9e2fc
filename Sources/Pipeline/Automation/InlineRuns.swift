import Foundation
import Storage
import Synchronization

/// A worker of this process that runs a webhook's run in the request's own task.
public struct InlineWorker: Sendable {
    public var name: String
    public var lease: TimeInterval
    /// Runs a job the worker holds already; true when it succeeded.
    public var run: @Sendable (Job) async -> Bool

    public init(name: String, lease: TimeInterval, run: @escaping @Sendable (Job) async -> Bool) {
        self.name = name
        self.lease = lease
        self.run = run
    }
}

/// Runs being run in the request that queued them: the run and its scenario are handed to the job so it
/// need not read them back, and the finished run is handed back to the request so it need not either.
final class InlineRuns: Sendable {
    private struct Entry {
        var run: StoredScenarioRun
        var scenario: StoredScenario
        var finished: StoredScenarioRun?
    }

    private let entries = Mutex<[String: Entry]>([:])

    func prepare(_ run: StoredScenarioRun, _ scenario: StoredScenario) {
        entries.withLock { $0[run.id] = Entry(run: run, scenario: scenario) }
    }

    /// The run and scenario of a run being run inline, if this is one.
    func prepared(_ runID: String) -> (run: StoredScenarioRun, scenario: StoredScenario)? {
        entries.withLock { $0[runID].map { ($0.run, $0.scenario) } }
    }

    func finished(_ run: StoredScenarioRun) {
        entries.withLock { table in
            if table[run.id] != nil { table[run.id]?.finished = run }
        }
    }

    /// Forgets the run and returns how it finished, if it did here.
    func take(_ runID: String) -> StoredScenarioRun? {
        entries.withLock { $0.removeValue(forKey: runID)?.finished }
    }
}
