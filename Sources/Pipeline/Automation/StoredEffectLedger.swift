import Automation
import Foundation
import LeadgenCore
import Storage
import Synchronization

/// The effect ledger of one stored run, in the database.
final class StoredEffectLedger: EffectLedger {
    let runID: String
    let store: ScenarioEffectStore
    private let used = Mutex(false)

    init(runID: String, store: ScenarioEffectStore) {
        self.runID = runID
        self.store = store
    }

    /// Whether the run recorded anything (a run without effects has nothing to clear).
    var wasUsed: Bool { used.withLock { $0 } }

    func begin(_ key: String) async throws -> EffectState {
        used.withLock { $0 = true }
        switch try await store.begin(run: runID, key: key) {
        case .new: return .new
        case .started: return .unknown
        case .done(let text): return .done((try? JSON.parse(Data(text.utf8)))?.arrayValue ?? [])
        }
    }

    func finish(_ key: String, outputs: [JSON]) async throws {
        try await store.finish(
            run: runID, key: key, outputs: String(decoding: try JSON.array(outputs).data(), as: UTF8.self))
    }

    func abandon(_ key: String) async throws {
        try await store.abandon(run: runID, key: key)
    }
}
