@preconcurrency import AsyncKit
import Logging
import NIOCore
import SQLiteKit

/// Serves every SQLite query through a pool of one connection, so a transaction holds the database alone
/// and concurrent requests queue instead of failing with SQLITE_BUSY.
struct SQLitePoolDatabase: SQLiteDatabase {
    let pool: EventLoopConnectionPool<SQLiteSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoop }

    func query(
        _ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.query(query, binds, logger: logger, onRow) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<
        T
    > {
        pool.withConnection(logger: logger, closure)
    }
}
