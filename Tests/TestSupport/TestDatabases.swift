import Foundation
import LeadgenCore
import Logging
import SQLKit
import Storage

/// Fresh, migrated databases for tests: a temporary SQLite file, and a new database on the PostgreSQL
/// server named by `LEADGEN_TEST_POSTGRES_URL` (which `scripts/test` starts and sets).
public enum TestDatabases {
    /// The databases store tests run on: both when a PostgreSQL server is configured.
    public static var kinds: [SQLDialectKind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LEADGEN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static let logger: Logger = {
        var logger = Logger(label: "leadgen.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// PostgreSQL databases open at once: each holds up to eight connections (four per event loop) and some
    /// tests open more, while the server takes 200; unbounded, a parallel run ran out of them.
    static let postgresSlots = TestSlots(limit: 10)

    /// Runs `body` with a new, empty, migrated database of the given kind, removed afterwards.
    public static func withFresh<R>(
        _ kind: SQLDialectKind, migrate: Bool = true, _ body: (LeadgenDatabase, DatabaseURL) async throws -> R
    ) async throws -> R {
        guard kind == .postgres else { return try await opened(kind, migrate: migrate, body) }
        await postgresSlots.acquire()
        do {
            let result = try await opened(kind, migrate: migrate, body)
            await postgresSlots.release()
            return result
        } catch {
            await postgresSlots.release()
            throw error
        }
    }

    private static func opened<R>(
        _ kind: SQLDialectKind, migrate: Bool, _ body: (LeadgenDatabase, DatabaseURL) async throws -> R
    ) async throws -> R {
        let (url, cleanup) = try await makeEmpty(kind)
        let database = try await LeadgenDatabase.open(url, logger: logger)
        do {
            if migrate { try await Migrator(database: database, time: .system, logger: logger).migrate() }
            let result = try await body(database, url)
            try await database.close()
            try await cleanup()
            return result
        } catch {
            try? await database.close()
            try? await cleanup()
            throw error
        }
    }

    /// A URL of a new empty database, and how to remove it.
    public static func makeEmpty(_ kind: SQLDialectKind) async throws -> (
        DatabaseURL, @Sendable () async throws -> Void
    ) {
        let name = "lg_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(String(name))
            let path = directory.appendingPathComponent("leadgen.sqlite").path
            return (.sqlite(path: path), { try? FileManager.default.removeItem(at: directory) })
        case .postgres:
            guard let base = postgresURL, var components = URLComponents(string: base) else {
                throw TestDatabaseError.noPostgres
            }
            let admin = try await LeadgenDatabase.open(.postgres(url: base), logger: logger, maxConnections: 1)
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
            try await admin.close()
            components.path = "/" + name
            let url = DatabaseURL.postgres(url: components.string!)
            return (
                url,
                {
                    let admin = try await LeadgenDatabase.open(.postgres(url: base), logger: logger, maxConnections: 1)
                    try await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
                    try await admin.close()
                }
            )
        }
    }
}

public enum TestDatabaseError: Error {
    case noPostgres
}

/// Deterministic ids for tests: "t000001", "t000002", … (zero-padded, so they sort in creation order).
public final class SequentialIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    public init() {}

    public var generator: IDGenerator {
        IDGenerator { [self] in
            lock.withLock {
                next += 1
                return String(format: "t%06d", next)
            }
        }
    }
}

/// A clock tests move by hand.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    public var now: Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    public var source: TimeSource { TimeSource { [self] in now } }
}
