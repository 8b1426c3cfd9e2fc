@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The open database: SQLKit's `SQLDatabase` on SQLite or PostgreSQL, and how to run a transaction on it.
public final class LeadgenDatabase: Sendable {
    public let kind: SQLDialectKind
    /// Runs single statements; use `transaction` for several writes that belong together.
    public let sql: any SQLDatabase
    private let shutdown: @Sendable () async throws -> Void

    private init(kind: SQLDialectKind, sql: any SQLDatabase, shutdown: @escaping @Sendable () async throws -> Void) {
        self.kind = kind
        self.sql = sql
        self.shutdown = shutdown
    }

    /// Opens the database; a SQLite file and its folder are created when missing.
    public static func open(_ url: DatabaseURL, logger: Logger, maxConnections: Int = 4) async throws -> LeadgenDatabase
    {
        switch url {
        case .sqlite(let path):
            return try await openSQLite(path: path, logger: logger)
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: maxConnections, logger: logger, on: MultiThreadedEventLoopGroup.singleton)
            let database = LeadgenDatabase(kind: .postgres, sql: pool.database(logger: logger).sql()) {
                try await pool.shutdownAsync()
            }
            do {
                try await database.sql.raw("SELECT 1").run()
            } catch {
                try? await database.close()
                throw error
            }
            return database
        }
    }

    private static func openSQLite(path: String, logger: Logger) async throws -> LeadgenDatabase {
        let fileURL = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        // The connection's own thread: a statement waiting on another process's lock blocks only this thread.
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let pool = EventLoopConnectionPool(
            source: SQLiteSource(
                base: SQLiteConnectionSource(
                    configuration: .init(storage: .file(path: fileURL.path)), threadPool: threadPool)),
            maxConnections: 1, requestTimeout: .seconds(60), pruneInterval: nil, logger: logger, on: eventLoop)
        let sql = SQLitePoolDatabase(pool: pool, logger: logger).sql()
        let database = LeadgenDatabase(kind: .sqlite, sql: sql) {
            try await pool.close().get()
            try await threadPool.shutdownGracefully()
        }
        // Open the connection now, so a file that cannot be opened fails at start, not at first use.
        do {
            try await sql.raw("SELECT 1").run()
        } catch {
            try? await database.close()
            throw error
        }
        return database
    }

    public func close() async throws {
        try await shutdown()
    }

    /// Runs `body` in one transaction on one connection: all of its writes land, or none do.
    public func transaction<R: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let begin: SQLQueryString = kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await sql.withSession { session in
            try await session.raw(begin).run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
