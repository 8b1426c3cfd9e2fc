import Foundation
import LeadgenCore
import SQLKit

/// A workspace as stored.
public struct Workspace: Sendable, Equatable, Codable {
    public var id: WorkspaceID
    public var slug: String
    public var name: String
}

/// Creates and finds workspaces.
public struct WorkspaceStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// The workspace with this slug, created when missing (the CLI's `--workspace` and first start use it).
    public func findOrCreate(slug: String, name: String? = nil) async throws -> Workspace {
        if let existing = try await find(slug: slug) { return existing }
        let workspace = Workspace(id: WorkspaceID(rawValue: ids()), slug: slug, name: name ?? slug)
        try await database.sql.insert(into: "workspaces")
            .columns("id", "slug", "name", "created_at")
            .values(SQLBind(workspace.id.rawValue), SQLBind(slug), SQLBind(workspace.name), SQLBind(time.now()))
            .ignoringConflicts(with: "slug")
            .run()
        // Another process may have created it first; the stored row is the one that counts.
        guard let stored = try await find(slug: slug) else { throw StoreError.notFound("workspace \(slug)") }
        return stored
    }

    public func find(slug: String) async throws -> Workspace? {
        try await select().where("slug", .equal, slug).first().map(Self.decode)
    }

    public func find(id: WorkspaceID) async throws -> Workspace? {
        try await select().where("id", .equal, id.rawValue).first().map(Self.decode)
    }

    public func all() async throws -> [Workspace] {
        try await select().orderBy("slug").all().map(Self.decode)
    }

    /// Whether the workspace has turned the SMTP probe on for its addresses.
    public func probesMailboxes(_ id: WorkspaceID) async throws -> Bool {
        try await database.sql.select().column("smtp_probe").from("workspaces").where("id", .equal, id.rawValue)
            .first()?.decode(column: "smtp_probe", as: Int.self) == 1
    }

    /// Turns the SMTP probe on or off for the workspace's addresses; false when there is no such workspace.
    @discardableResult
    public func setProbesMailboxes(_ on: Bool, for id: WorkspaceID) async throws -> Bool {
        !(try await database.sql.update("workspaces").set("smtp_probe", to: on ? 1 : 0)
            .where("id", .equal, id.rawValue).returning("id").all()).isEmpty
    }

    private func select() -> SQLSelectBuilder {
        database.sql.select().columns("id", "slug", "name").from("workspaces")
    }

    static func decode(_ row: any SQLRow) throws -> Workspace {
        Workspace(
            id: WorkspaceID(rawValue: try row.decode(column: "id", as: String.self)),
            slug: try row.decode(column: "slug", as: String.self), name: try row.decode(column: "name", as: String.self)
        )
    }
}

/// A store operation that could not be done, in words a user can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) was not found"
        case .conflict(let what): what
        }
    }
}
