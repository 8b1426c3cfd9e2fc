import Foundation
import LeadgenCore
import SQLKit

/// A search kept under a name, to run again: a re-run adds only the people not yet known.
public struct SavedSearch: Sendable, Equatable {
    public var id: String
    public var workspaceID: WorkspaceID
    public var name: String
    public var provider: String
    /// The provider's query, as JSON.
    public var query: String
    public var maxResults: Int?
    public var createdAt: Date
    public var lastRunAt: Date?
    /// What the last run did, as JSON.
    public var lastSummary: String?
}

public struct SavedSearchStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Saves a search; a name already used in the workspace is `StoreError.conflict`.
    public func create(
        name: String, provider: String, query: String, maxResults: Int?, in workspace: WorkspaceID
    ) async throws -> SavedSearch {
        let search = SavedSearch(
            id: ids(), workspaceID: workspace, name: name, provider: provider, query: query, maxResults: maxResults,
            createdAt: time.now(), lastRunAt: nil, lastSummary: nil)
        let taken = try await database.sql.raw(
            "SELECT id FROM saved_searches WHERE workspace_id = \(bind: workspace.rawValue) AND name = \(bind: name)"
        ).first()
        guard taken == nil else { throw StoreError.conflict("a saved search named '\(name)' exists") }
        try await database.sql.raw(
            """
            INSERT INTO saved_searches (id, workspace_id, name, provider, query, max_results, created_at)
            VALUES (\(bind: search.id), \(bind: workspace.rawValue), \(bind: name), \(bind: provider), \(bind: query),
                    \(bind: maxResults), \(bind: search.createdAt))
            """
        ).run()
        return search
    }

    public func get(_ id: String, in workspace: WorkspaceID) async throws -> SavedSearch? {
        try await database.sql.raw(
            "SELECT * FROM saved_searches WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)"
        ).first().map(Self.decode)
    }

    public func list(in workspace: WorkspaceID) async throws -> [SavedSearch] {
        try await database.sql.raw(
            "SELECT * FROM saved_searches WHERE workspace_id = \(bind: workspace.rawValue) ORDER BY name"
        ).all().map(Self.decode)
    }

    public func delete(_ id: String, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            """
            DELETE FROM saved_searches WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)
            RETURNING id
            """
        ).all().isEmpty
    }

    public func recordRun(_ id: String, summary: String) async throws {
        try await database.sql.raw(
            """
            UPDATE saved_searches SET last_run_at = \(bind: time.now()), last_summary = \(bind: summary)
            WHERE id = \(bind: id)
            """
        ).run()
    }

    static func decode(_ row: any SQLRow) throws -> SavedSearch {
        SavedSearch(
            id: try row.decode(column: "id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            name: try row.decode(column: "name"), provider: try row.decode(column: "provider"),
            query: try row.decode(column: "query"), maxResults: try row.decode(column: "max_results", as: Int?.self),
            createdAt: try row.decode(column: "created_at"),
            lastRunAt: try row.decode(column: "last_run_at", as: Date?.self),
            lastSummary: try row.decode(column: "last_summary", as: String?.self))
    }
}
