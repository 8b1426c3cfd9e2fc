@preconcurrency import AsyncKit
import Logging
import NIOCore
import SQLiteKit

/// Opens SQLite connections set up the way Leadgen needs them, whenever the pool makes one.
struct SQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    /// WAL lets readers in other processes (a CLI import beside the server) work while one writes;
    /// busy_timeout makes a second writer wait instead of failing at once; a 64 MiB page cache keeps a
    /// batch's index pages in memory instead of spilling them mid-transaction.
    static let pragmas = [
        "PRAGMA busy_timeout = 10000",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA cache_size = -65536",
        "PRAGMA temp_store = MEMORY",
    ]

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            Self.pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                previous.flatMap { connection.query(pragma).map { _ in } }
            }
            .flatMapError { error in connection.close().flatMapThrowing { throw error } }
            .map { connection }
        }
    }
}
