import Foundation
import LeadgenCore
import SQLKit

/// A workspace's team: listing its users, changing their roles and removing them, never leaving the
/// workspace without an owner.
extension UserStore {
    /// Users listed per workspace at most; a team is people, not rows of data.
    public static let maxTeamSize = 1000

    /// The workspace's users, owners first, then by e-mail.
    public func list(in workspace: WorkspaceID) async throws -> [User] {
        let users = try await select().where("workspace_id", .equal, workspace.rawValue)
            .orderBy("email").limit(Self.maxTeamSize).all().map(Self.decode)
        return users.sorted { ($0.role > $1.role) || ($0.role == $1.role && $0.email.value < $1.email.value) }
    }

    /// Gives the workspace's user `id` another role. Taking the owner role from the workspace's last owner is
    /// refused. Sessions read the role on every request, so the change holds at once.
    public func setRole(_ id: String, to role: User.Role, in workspace: WorkspaceID) async throws -> User {
        try await changingTeam(id, in: workspace) { user, db in
            if user.role == .owner, role != .owner { try await Self.requireAnotherOwner(than: user, on: db) }
            try await db.update("users").set("role", to: role.rawValue).where("id", .equal, user.id).run()
            var changed = user
            changed.role = role
            return changed
        }
    }

    /// Removes the workspace's user `id` and their sessions; the workspace's last owner cannot be removed.
    public func remove(_ id: String, in workspace: WorkspaceID) async throws -> User {
        try await changingTeam(id, in: workspace) { user, db in
            if user.role == .owner { try await Self.requireAnotherOwner(than: user, on: db) }
            try await db.delete(from: "sessions").where("user_id", .equal, user.id).run()
            try await db.delete(from: "users").where("id", .equal, user.id).run()
            return user
        }
    }

    /// Runs `change` on the user in one transaction, under the lock that first-run setup takes too, so two
    /// owners demoting each other at once cannot both succeed.
    private func changingTeam(
        _ id: String, in workspace: WorkspaceID,
        _ change: @escaping @Sendable (User, any SQLDatabase) async throws -> User
    ) async throws -> User {
        let database = self.database
        return try await database.transaction { db in
            if database.kind == .postgres {
                try await db.raw(Self.teamLock).run()
            }
            guard let user = try await Self.find(id: id, on: db), user.workspaceID == workspace else {
                throw StoreError.notFound("user \(id)")
            }
            return try await change(user, db)
        }
    }

    private static func requireAnotherOwner(than user: User, on db: any SQLDatabase) async throws {
        let owners =
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
            .where("workspace_id", .equal, user.workspaceID.rawValue).where("role", .equal, User.Role.owner.rawValue)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        guard owners > 1 else {
            throw StoreError.conflict("\(user.email) is the workspace's only owner: make someone else an owner first")
        }
    }
}
