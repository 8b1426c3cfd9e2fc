import Foundation
import LeadgenCore
import SQLKit

/// A person who logs in to the dashboard.
public struct User: Sendable, Equatable {
    public typealias Role = LeadgenCore.Role

    public var id: String
    public var workspaceID: WorkspaceID
    public var email: EmailAddress
    public var name: String?
    public var passwordHash: String
    public var role: Role
}

/// Creates and finds dashboard users. Passwords arrive already hashed; this store never sees them.
public struct UserStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Creates a user: the install's first becomes its owner, the others get `role`; with `onlyIfFirst`,
    /// nothing is created once a user exists (nil). The count and the insert are one transaction (under a
    /// lock on PostgreSQL, SQLite's writer is single), so two requests at once never both become the first.
    public func create(
        workspace: WorkspaceID, email: EmailAddress, name: String?, passwordHash: String,
        otherwise role: User.Role, onlyIfFirst: Bool
    ) async throws -> User? {
        let (database, ids, time) = (self.database, self.ids, self.time)
        return try await database.transaction { db -> User? in
            if database.kind == .postgres {
                try await db.raw(Self.teamLock).run()
            }
            let count =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
                .first()?.decode(column: "n", as: Int.self) ?? 0
            if onlyIfFirst, count > 0 { return nil }
            if try await db.select().column("id").from("users").where("email", .equal, email.value).first() != nil {
                throw StoreError.conflict("a user with e-mail \(email) exists")
            }
            let user = User(
                id: ids(), workspaceID: workspace, email: email, name: name, passwordHash: passwordHash,
                role: count == 0 ? .owner : role)
            try await db.insert(into: "users")
                .columns("id", "workspace_id", "email", "name", "password_hash", "role", "created_at")
                .values(
                    SQLBind(user.id), SQLBind(workspace.rawValue), SQLBind(email.value), SQLBind(name),
                    SQLBind(passwordHash), SQLBind(user.role.rawValue), SQLBind(time.now())
                )
                .run()
            return user
        }
    }

    /// Taken (on PostgreSQL) by every change that counts users or owners before it writes.
    static let teamLock: SQLQueryString = "SELECT pg_advisory_xact_lock(hashtext('leadgen-team'))"

    public func find(email: EmailAddress) async throws -> User? {
        try await select().where("email", .equal, email.value).first().map(Self.decode)
    }

    public func find(id: String) async throws -> User? {
        try await Self.find(id: id, on: database.sql)
    }

    static func find(id: String, on db: any SQLDatabase) async throws -> User? {
        try await select(db).where("id", .equal, id).first().map(Self.decode)
    }

    public func count() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func select() -> SQLSelectBuilder { Self.select(database.sql) }

    private static func select(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns("id", "workspace_id", "email", "name", "password_hash", "role").from("users")
    }

    static func decode(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id", as: String.self)),
            email: try EmailAddress(parsing: try row.decode(column: "email", as: String.self)),
            name: try row.decode(column: "name", as: String?.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            role: User.Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member)
    }
}
