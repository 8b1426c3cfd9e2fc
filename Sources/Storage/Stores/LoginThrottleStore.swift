import Foundation
import LeadgenCore
import SQLKit

/// Slows password guessing: after `freeFailures` wrong passwords in a row for an account or from a client
/// address, each further attempt waits — one second, then two, four… up to fifteen minutes — before a
/// password is even checked. A right password after the wait still works and clears the account's count.
public struct LoginThrottleStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource
    public static let freeFailures = 20
    public static let longestWait: TimeInterval = 900

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// The wait after `failures` wrong passwords in a row.
    static func wait(after failures: Int) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        return min(longestWait, pow(2, Double(min(failures - freeFailures, 20))))
    }

    /// How long until any of `keys` may try again, or nil when none has to wait.
    public func waiting(_ keys: [String]) async throws -> TimeInterval? {
        guard !keys.isEmpty else { return nil }
        let now = time.now()
        let rows = try await database.sql.select().column("blocked_until").from("login_throttle")
            .where("throttle_key", .in, keys).all()
        let until = try rows.compactMap { try $0.decode(column: "blocked_until", as: Date?.self) }.max()
        guard let until, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    /// Counts a wrong password against each key (an atomic increment, so attempts at once all count).
    public func recordFailure(_ keys: [String]) async throws {
        let now = time.now()
        for key in keys {
            let failures =
                try await database.sql.raw(
                    """
                    INSERT INTO login_throttle (throttle_key, failures, blocked_until, updated_at)
                    VALUES (\(bind: key), 1, NULL, \(bind: now))
                    ON CONFLICT (throttle_key) DO UPDATE SET failures = login_throttle.failures + 1,
                        updated_at = excluded.updated_at
                    RETURNING failures
                    """
                ).first()?.decode(column: "failures", as: Int.self) ?? 1
            guard let wait = Self.wait(after: failures) else { continue }
            try await database.sql.update("login_throttle")
                .set("blocked_until", to: SQLBind(now.addingTimeInterval(wait)))
                .where("throttle_key", .equal, key).run()
        }
    }

    /// Clears the keys' counts after a right password.
    public func reset(_ keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await database.sql.delete(from: "login_throttle").where("throttle_key", .in, keys).run()
    }
}
