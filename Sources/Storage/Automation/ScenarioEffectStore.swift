import Foundation
import LeadgenCore
import SQLKit

/// The effect ledger of scenario runs: per run, each module execution with an effect, started before its
/// call and done (with its outputs as JSON text) after it.
public struct ScenarioEffectStore: Sendable {
    public enum Entry: Sendable, Equatable {
        case new
        case done(outputs: String)
        /// Started, never recorded as done: the call may or may not have taken effect.
        case started
    }

    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// Marks the execution started unless the run has it already; returns what was there before.
    public func begin(run: String, key: String) async throws -> Entry {
        let now = time.now()
        let inserted = try await database.sql.raw(
            """
            INSERT INTO scenario_effects (run_id, effect_key, state, created_at, updated_at)
            VALUES (\(bind: run), \(bind: key), 'started', \(bind: now), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING effect_key
            """
        ).all()
        if !inserted.isEmpty { return .new }
        guard
            let row = try await database.sql.raw(
                "SELECT state, outputs FROM scenario_effects WHERE run_id = \(bind: run) AND effect_key = \(bind: key)"
            ).first()
        else { return .new }
        if try row.decode(column: "state", as: String.self) == "done" {
            return .done(outputs: try row.decode(column: "outputs", as: String?.self) ?? "[]")
        }
        return .started
    }

    public func finish(run: String, key: String, outputs: String) async throws {
        try await database.sql.raw(
            """
            UPDATE scenario_effects SET state = 'done', outputs = \(bind: outputs), updated_at = \(bind: time.now())
            WHERE run_id = \(bind: run) AND effect_key = \(bind: key)
            """
        ).run()
    }

    public func abandon(run: String, key: String) async throws {
        try await database.sql.raw(
            "DELETE FROM scenario_effects WHERE run_id = \(bind: run) AND effect_key = \(bind: key) AND state = 'started'"
        ).run()
    }

    /// Forgets a finished run's ledger: a finished run is never repeated.
    public func clear(run: String) async throws {
        try await database.sql.raw("DELETE FROM scenario_effects WHERE run_id = \(bind: run)").run()
    }

    /// The executions of a run whose outcome is unknown.
    public func unknown(run: String) async throws -> [String] {
        try await database.sql.raw(
            """
            SELECT effect_key FROM scenario_effects WHERE run_id = \(bind: run) AND state = 'started'
            ORDER BY effect_key
            """
        ).all().map { try $0.decode(column: "effect_key", as: String.self) }
    }
}
