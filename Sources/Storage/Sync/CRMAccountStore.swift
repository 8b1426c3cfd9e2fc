import Foundation
import LeadgenCore
import SQLKit

/// Which CRM account each workspace's connection writes to (for HubSpot, the portal id). Object ids are
/// unique only within one account, so a CRM's webhook is matched to a workspace by its account first.
public struct CRMAccountStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// Records the account the workspace's connection reaches with this credential (a fingerprint, never the
    /// secret itself).
    public func record(_ accountID: String, provider: String, workspace: WorkspaceID, credential: String) async throws {
        try await database.sql.raw(
            """
            INSERT INTO crm_accounts (workspace_id, provider, account_id, credential, learned_at)
            VALUES (\(bind: workspace.rawValue), \(bind: provider), \(bind: accountID), \(bind: credential),
                \(bind: time.now()))
            ON CONFLICT (workspace_id, provider) DO UPDATE SET account_id = excluded.account_id,
                credential = excluded.credential, learned_at = excluded.learned_at
            """
        ).run()
    }

    /// The account the workspace's connection was last seen to reach, and with which credential.
    public func account(provider: String, workspace: WorkspaceID) async throws -> (id: String, credential: String)? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT account_id, credential FROM crm_accounts
                WHERE workspace_id = \(bind: workspace.rawValue) AND provider = \(bind: provider)
                """
            ).first()
        else { return nil }
        return (try row.decode(column: "account_id"), try row.decode(column: "credential"))
    }
}
