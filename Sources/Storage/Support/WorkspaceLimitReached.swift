import Foundation
import LeadgenCore
import SQLKit

/// A workspace already has as many of something as it may (webhook endpoints, inbound hooks).
public struct WorkspaceLimitReached: Error, Sendable, Equatable, CustomStringConvertible {
    public var what: String
    public var limit: Int

    public var description: String { "a workspace has at most \(limit) \(what)" }

    /// Throws when the workspace's rows in `table` number `limit` already, on `db` (the caller's transaction).
    static func check(
        _ table: String, what: String, limit: Int, in workspace: WorkspaceID, on db: any SQLDatabase
    ) async throws {
        let count =
            try await db.raw(
                "SELECT COUNT(*) AS n FROM \(ident: table) WHERE workspace_id = \(bind: workspace.rawValue)"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard count < limit else { throw WorkspaceLimitReached(what: what, limit: limit) }
    }
}
