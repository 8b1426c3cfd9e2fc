import Foundation
import LeadgenCore
import Logging
import SQLKit

/// Applies the migrations not yet applied, each in its own transaction.
///
/// On PostgreSQL an advisory lock makes instances that start together take turns: the first applies,
/// the others then find nothing left to do. On SQLite `BEGIN IMMEDIATE` does the same.
public struct Migrator: Sendable {
    let database: LeadgenDatabase
    let migrations: [Migration]
    let time: TimeSource
    let logger: Logger
    /// An arbitrary constant that names Leadgen's migration lock among the advisory locks of the server.
    static let advisoryLockKey = 7_342_001

    public init(
        database: LeadgenDatabase, migrations: [Migration] = Migration.all, time: TimeSource, logger: Logger
    ) {
        self.database = database
        self.migrations = migrations
        self.time = time
        self.logger = logger
    }

    /// Applies what is pending and returns the names applied now.
    @discardableResult
    public func migrate() async throws -> [String] {
        let kind = database.kind
        return try await database.sql.withSession { session in
            if kind == .postgres {
                try await session.raw("SELECT pg_advisory_lock(\(bind: Self.advisoryLockKey))").run()
            }
            do {
                try await session.raw(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at \(unsafeRaw: kind.timestampType) NOT NULL)"
                ).run()
                var applied: [String] = []
                for migration in migrations {
                    if try await apply(migration, on: session) { applied.append(migration.name) }
                }
                if kind == .postgres {
                    try await session.raw("SELECT pg_advisory_unlock(\(bind: Self.advisoryLockKey))").run()
                }
                return applied
            } catch {
                if kind == .postgres {
                    try? await session.raw("SELECT pg_advisory_unlock(\(bind: Self.advisoryLockKey))").run()
                }
                throw error
            }
        }
    }

    /// The names of the migrations already applied, in order.
    public func appliedNames() async throws -> [String] {
        try await database.sql.raw("SELECT name FROM schema_migrations ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    private func apply(_ migration: Migration, on session: any SQLDatabase) async throws -> Bool {
        try await session.raw(database.kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
        do {
            let done = try await session.select().column("name").from("schema_migrations")
                .where("name", .equal, migration.name).first()
            guard done == nil else {
                try await session.raw("COMMIT").run()
                return false
            }
            for statement in migration.statements(database.kind) {
                try await session.execute(sql: SQLRaw(statement)) { _ in }
            }
            try await session.insert(into: "schema_migrations")
                .columns("name", "applied_at").values(SQLBind(migration.name), SQLBind(time.now())).run()
            try await session.raw("COMMIT").run()
            logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            return true
        } catch {
            try? await session.raw("ROLLBACK").run()
            throw error
        }
    }
}
