import Foundation
import LeadgenCore
import Logging
import SQLKit

/// Applies the migrations not yet applied, each in its own transaction, and records each one's checksum.
///
/// On PostgreSQL an advisory lock makes instances that start together take turns: the first applies,
/// the others then find nothing left to do. On SQLite `BEGIN IMMEDIATE` does the same. A database whose
/// recorded checksum of a migration differs from this build's is refused before anything is applied: the
/// migration was edited after it shipped, and the schema is not what the code expects.
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
                    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at \(unsafeRaw: kind.timestampType) NOT NULL, checksum TEXT)"
                ).run()
                try await addChecksumColumn(on: session)
                try await verifyChecksums(on: session)
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

    /// How the database stands against this build's migrations, without changing it: those applied, those
    /// pending, those this build does not know (a newer version applied them) and those whose statements differ.
    public func status() async throws -> MigrationStatus {
        try await MigrationStatus.read(from: database)
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
                .columns("name", "applied_at", "checksum")
                .values(SQLBind(migration.name), SQLBind(time.now()), SQLBind(migration.checksum)).run()
            try await session.raw("COMMIT").run()
            logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            return true
        } catch {
            try? await session.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Databases migrated before checksums were recorded lack the column.
    private func addChecksumColumn(on session: any SQLDatabase) async throws {
        switch database.kind {
        case .postgres:
            try await session.raw("ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT").run()
        case .sqlite:
            let columns = try await session.raw("PRAGMA table_info(schema_migrations)").all()
                .map { try $0.decode(column: "name", as: String.self) }
            if !columns.contains("checksum") {
                try await session.raw("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT").run()
            }
        }
    }

    /// Compares each applied migration's recorded checksum with this build's; one applied before checksums
    /// were recorded is given its checksum now.
    private func verifyChecksums(on session: any SQLDatabase) async throws {
        let rows = try await session.raw("SELECT name, checksum FROM schema_migrations").all()
        var recorded: [String: String?] = [:]
        for row in rows {
            recorded[try row.decode(column: "name", as: String.self)] = try row.decode(
                column: "checksum", as: String?.self)
        }
        for migration in migrations {
            guard let entry = recorded[migration.name] else { continue }
            guard let checksum = entry else {
                try await session.update("schema_migrations").set("checksum", to: SQLBind(migration.checksum))
                    .where("name", .equal, migration.name).run()
                continue
            }
            guard checksum == migration.checksum else {
                throw MigrationChecksumMismatch(
                    migration: migration.name, recorded: checksum, expected: migration.checksum)
            }
        }
    }
}

/// A migration this database ran was edited afterwards: nothing is applied and the process does not start.
public struct MigrationChecksumMismatch: Error, Equatable, CustomStringConvertible {
    public var migration: String
    public var recorded: String
    public var expected: String

    public var description: String {
        "migration \(migration) differs from the one this database ran (checksum \(recorded.prefix(12)) recorded, "
            + "\(expected.prefix(12)) in this build): a shipped migration must never be edited; restore it and "
            + "add a new migration for the change"
    }
}

/// Where a database stands against this build's migrations (`Migrator.status()`).
public struct MigrationStatus: Sendable, Equatable {
    public var applied: [String]
    public var pending: [String]
    /// Applied by a newer Leadgen: this build must not run against the database.
    public var unknown: [String]
    /// Applied with statements other than this build's.
    public var differing: [String]
}

extension MigrationStatus {
    /// Reads the database's migrations table (none: everything pending) against this build's migrations.
    static func read(from database: LeadgenDatabase) async throws -> MigrationStatus {
        let rows: [any SQLRow]
        do {
            rows = try await database.sql.raw("SELECT name, checksum FROM schema_migrations ORDER BY name").all()
        } catch {
            return MigrationStatus(applied: [], pending: Migration.all.map(\.name), unknown: [], differing: [])
        }
        let known = Dictionary(uniqueKeysWithValues: Migration.all.map { ($0.name, $0.checksum) })
        var status = MigrationStatus(applied: [], pending: [], unknown: [], differing: [])
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            let checksum = try row.decode(column: "checksum", as: String?.self)
            guard let expected = known[name] else {
                status.unknown.append(name)
                continue
            }
            if let checksum, checksum != expected { status.differing.append(name) }
            status.applied.append(name)
        }
        let applied = Set(status.applied)
        status.pending = Migration.all.map(\.name).filter { !applied.contains($0) }
        return status
    }
}
