import Automation
import Foundation
import Storage

/// The effect ledger of one stored run, in the database.
struct StoredEffectLedger: EffectLedger {
    let runID: String
    let store: ScenarioEffectStore

    func begin(_ key: String) async throws -> EffectState {
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
