import Foundation
import LeadgenCore
import SQLKit

/// A logged-in dashboard session.
public struct Session: Sendable, Equatable {
    public var user: User
    /// Sent in every dashboard form and checked on every POST.
    public var csrfToken: String
    public var expiresAt: Date
}

/// Creates, resolves and ends dashboard sessions. The cookie holds a random token; only its hash is stored.
public struct SessionStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource
    public let lifetime: TimeInterval

    public init(database: LeadgenDatabase, time: TimeSource, lifetime: TimeInterval = 14 * 24 * 3600) {
        self.database = database
        self.time = time
        self.lifetime = lifetime
    }

    /// Starts a session and returns the token for the cookie.
    public func create(for user: User) async throws -> String {
        let token = Secrets.randomHex(bytes: 32)
        let now = time.now()
        try await database.sql.insert(into: "sessions")
            .columns("token_hash", "user_id", "csrf_token", "created_at", "expires_at")
            .values(
                SQLBind(Secrets.sha256Hex(token)), SQLBind(user.id), SQLBind(Secrets.randomHex(bytes: 24)),
                SQLBind(now),
                SQLBind(now.addingTimeInterval(lifetime))
            )
            .run()
        return token
    }

    /// The live session for a cookie token, or nil.
    public func find(token: String) async throws -> Session? {
        guard token.count == 64 else { return nil }
        guard
            let row = try await database.sql.select().columns("user_id", "csrf_token", "expires_at").from("sessions")
                .where("token_hash", .equal, Secrets.sha256Hex(token))
                .where("expires_at", .greaterThan, SQLBind(time.now()))
                .first()
        else { return nil }
        guard
            let user = try await UserStore.find(
                id: try row.decode(column: "user_id", as: String.self), on: database.sql)
        else { return nil }
        return Session(
            user: user, csrfToken: try row.decode(column: "csrf_token", as: String.self),
            expiresAt: try row.decode(column: "expires_at", as: Date.self))
    }

    public func delete(token: String) async throws {
        try await database.sql.delete(from: "sessions").where("token_hash", .equal, Secrets.sha256Hex(token)).run()
    }
}
