import Foundation
import LeadgenCore
import SQLKit

/// Make's data stores, backed by the database: JSON records by key in numbered stores of a workspace.
public struct DataStoreRecords: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// Writes a record; with `overwrite` false, an existing key is left alone and false is returned.
    public func put(_ key: String, data: String, store: Int, overwrite: Bool, in workspace: WorkspaceID) async throws
        -> Bool
    {
        let conflict: SQLQueryString =
            overwrite
            ? "DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at" : "DO NOTHING"
        return try await !database.sql.raw(
            """
            INSERT INTO data_store_records (workspace_id, data_store, record_key, data, updated_at)
            VALUES (\(bind: workspace.rawValue), \(bind: store), \(bind: key), \(bind: data), \(bind: time.now()))
            ON CONFLICT (workspace_id, data_store, record_key) \(conflict)
            RETURNING record_key
            """
        ).all().isEmpty
    }

    public func get(_ key: String, store: Int, in workspace: WorkspaceID) async throws -> String? {
        try await database.sql.raw(
            """
            SELECT data FROM data_store_records
            WHERE workspace_id = \(bind: workspace.rawValue) AND data_store = \(bind: store) AND record_key = \(bind: key)
            """
        ).first()?.decode(column: "data", as: String.self)
    }

    public func delete(_ key: String, store: Int, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            """
            DELETE FROM data_store_records
            WHERE workspace_id = \(bind: workspace.rawValue) AND data_store = \(bind: store) AND record_key = \(bind: key)
            RETURNING record_key
            """
        ).all().isEmpty
    }

    /// Every record of a store, in key order (searches filter them in memory; data stores are small).
    public func all(store: Int, in workspace: WorkspaceID, limit: Int = 10_000) async throws -> [(
        key: String, data: String
    )] {
        try await database.sql.raw(
            """
            SELECT record_key, data FROM data_store_records
            WHERE workspace_id = \(bind: workspace.rawValue) AND data_store = \(bind: store)
            ORDER BY record_key LIMIT \(bind: limit)
            """
        ).all().map { (try $0.decode(column: "record_key"), try $0.decode(column: "data")) }
    }
}
