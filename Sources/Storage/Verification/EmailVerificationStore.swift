import Foundation
import LeadgenCore
import SQLKit

/// An address's verification as stored: the outcome and when it was found.
public struct StoredEmailVerification: Sendable, Equatable {
    public var email: String
    public var verification: EmailVerification
    public var checkedAt: Date

    public init(email: String, verification: EmailVerification, checkedAt: Date) {
        self.email = email
        self.verification = verification
        self.checkedAt = checkedAt
    }
}

/// The verification of each address of a workspace: the latest one wins, and is the cache that spares an
/// address a second check while it is fresh.
public struct EmailVerificationStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// Records what verification found for `email` (normalized), replacing an earlier result.
    public func save(_ verification: EmailVerification, for email: String, in workspace: WorkspaceID) async throws {
        let exchangers = String(decoding: try JSONEncoder().encode(verification.mailExchangers), as: UTF8.self)
        try await database.sql.raw(
            """
            INSERT INTO email_verifications
                (workspace_id, email, outcome, reason, mail_exchangers, role_account, disposable, checked_at)
            VALUES (\(bind: workspace.rawValue), \(bind: email), \(bind: verification.outcome.rawValue),
                \(bind: verification.reason), \(bind: exchangers), \(bind: verification.isRoleAccount ? 1 : 0),
                \(bind: verification.isDisposable ? 1 : 0), \(bind: time.now()))
            ON CONFLICT (workspace_id, email) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason,
                mail_exchangers = excluded.mail_exchangers, role_account = excluded.role_account,
                disposable = excluded.disposable, checked_at = excluded.checked_at
            """
        ).run()
    }

    /// The stored verifications of these addresses (at most 1,000 at a time), by address.
    public func find(_ emails: [String], in workspace: WorkspaceID) async throws -> [String: StoredEmailVerification] {
        let wanted = Array(Set(emails).prefix(1000))
        guard !wanted.isEmpty else { return [:] }
        let rows = try await database.sql.raw(
            """
            SELECT * FROM email_verifications WHERE workspace_id = \(bind: workspace.rawValue)
            AND email IN (\(binds: wanted))
            """
        ).all()
        var found: [String: StoredEmailVerification] = [:]
        for row in rows {
            let stored = try Self.stored(row)
            found[stored.email] = stored
        }
        return found
    }

    static func stored(_ row: any SQLRow) throws -> StoredEmailVerification {
        let outcome = try row.decode(column: "outcome", as: String.self)
        let exchangers = try row.decode(column: "mail_exchangers", as: String.self)
        return StoredEmailVerification(
            email: try row.decode(column: "email", as: String.self),
            verification: EmailVerification(
                outcome: EmailVerification.Outcome(rawValue: outcome) ?? .unknown,
                reason: try row.decode(column: "reason", as: String.self),
                mailExchangers: (try? JSONDecoder().decode([String].self, from: Data(exchangers.utf8))) ?? [],
                isRoleAccount: try row.decode(column: "role_account", as: Int.self) != 0,
                isDisposable: try row.decode(column: "disposable", as: Int.self) != 0),
            checkedAt: try row.decode(column: "checked_at", as: Date.self))
    }
}
