import Foundation
import Logging
import SQLKit

/// Backups of the embedded SQLite database. A backup is a transactionally consistent copy taken while the
/// server runs (`VACUUM INTO`: one read transaction, so writers in WAL mode go on; SQLite's C backup API is
/// not reachable through the driver, and this gives the same snapshot, compacted). A restore checks the copy
/// before it replaces anything.
public enum SQLiteBackup {
    /// Writes a copy of `database` to `path`, which must not exist yet.
    public static func write(from database: LeadgenDatabase, to path: String) async throws {
        guard database.kind == .sqlite else { throw BackupProblem("a SQLite backup needs a SQLite database") }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw BackupProblem("\(path) exists already: choose a new file name")
        }
        try await database.sql.raw("VACUUM INTO \(bind: path)").run()
    }

    /// Opens the backup at `path` (never creating it) and checks it is whole and made by migrations this build
    /// knows: SQLite's integrity check, then each recorded migration against this build's.
    public static func inspect(_ path: String, logger: Logger) async throws -> BackupSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw BackupProblem("\(path): no such file")
        }
        guard let header = FileManager.default.contents(atPath: path)?.prefix(16),
            header.elementsEqual(Array("SQLite format 3\0".utf8))
        else {
            throw BackupProblem("\(path) is not a SQLite database")
        }
        let database = try await LeadgenDatabase.open(.sqlite(path: path), logger: logger)
        do {
            let summary = try await summarize(database, path: path)
            try await database.close()
            return summary
        } catch {
            try? await database.close()
            throw error
        }
    }

    /// Replaces the database file at `target` with the backup at `backup` (checked first): the copy is written
    /// beside the target and renamed over it, and the target's write-ahead log is removed, so a failure leaves
    /// the old database as it was. No process may have the target open.
    public static func restore(_ backup: String, over target: String, logger: Logger) async throws -> BackupSummary {
        let summary = try await inspect(backup, logger: logger)
        let files = FileManager.default
        let targetURL = URL(fileURLWithPath: target)
        try files.createDirectory(at: targetURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = targetURL.deletingLastPathComponent()
            .appendingPathComponent(".\(targetURL.lastPathComponent).restoring")
        try? files.removeItem(at: staging)
        try files.copyItem(at: URL(fileURLWithPath: backup), to: staging)
        for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: target + suffix) }
        if rename(staging.path, target) != 0 {
            let reason = String(cString: strerror(errno))
            try? files.removeItem(at: staging)
            throw BackupProblem("cannot replace \(target): \(reason)")
        }
        return summary
    }

    private static func summarize(_ database: LeadgenDatabase, path: String) async throws -> BackupSummary {
        let integrity = try await database.sql.raw("PRAGMA integrity_check").all()
            .compactMap { try? $0.decode(column: "integrity_check", as: String.self) }
        guard integrity == ["ok"] else {
            throw BackupProblem("\(path) is damaged: \(integrity.prefix(3).joined(separator: "; "))")
        }
        return try await BackupSummary.read(database, source: path)
    }
}

/// What a backup holds: its migrations (all known to this build) and how many leads.
public struct BackupSummary: Sendable, Equatable {
    public var migrations: Int
    public var lastMigration: String
    public var leads: Int

    static func read(_ database: LeadgenDatabase, source: String) async throws -> BackupSummary {
        let status = try await MigrationStatus.read(from: database)
        if let newer = status.unknown.first {
            throw BackupProblem(
                "\(source) was made by a newer Leadgen (migration \(newer) is unknown here): restore it with that version"
            )
        }
        if let differing = status.differing.first {
            throw BackupProblem(
                "\(source): migration \(differing) differs from this build's: not a backup of this Leadgen")
        }
        guard let last = status.applied.last else {
            throw BackupProblem("\(source) is not a Leadgen database (it has no migrations applied)")
        }
        let leads =
            try await database.sql.raw("SELECT COUNT(*) AS n FROM leads").first()?
            .decode(column: "n", as: Int.self) ?? 0
        return BackupSummary(migrations: status.applied.count, lastMigration: last, leads: leads)
    }
}

/// A backup or restore that cannot go ahead, in one line.
public struct BackupProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
