import Foundation
import LeadgenCore
import SQLKit

extension LeadStore {
    /// The leads of the workspace that own these identities, by identity; an identity no lead has is absent.
    public func owners(of keys: [MatchKey], in workspace: WorkspaceID) async throws -> [MatchKey: LeadID] {
        guard !keys.isEmpty else { return [:] }
        let byStorage = Dictionary(keys.map { ($0.storageKey, $0) }, uniquingKeysWith: { first, _ in first })
        var owners: [MatchKey: LeadID] = [:]
        for chunk in Array(byStorage.keys).chunked(500) {
            let rows = try await database.sql.raw(
                """
                SELECT match_key, lead_id FROM lead_identities
                WHERE workspace_id = \(bind: workspace.rawValue) AND match_key IN (\(binds: chunk))
                """
            ).all()
            for row in rows {
                guard let key = byStorage[try row.decode(column: "match_key", as: String.self)] else { continue }
                owners[key] = LeadID(rawValue: try row.decode(column: "lead_id", as: String.self))
            }
        }
        return owners
    }

    /// When each of these leads last had something happen to it (a change, a message, an open, a reply): the
    /// time of its newest event. A lead with no event is absent.
    public func lastActivity(of leads: [LeadID], in workspace: WorkspaceID) async throws -> [LeadID: Date] {
        var last: [LeadID: Date] = [:]
        for chunk in leads.map(\.rawValue).chunked(500) {
            let rows = try await database.sql.raw(
                """
                SELECT lead_id, MAX(created_at) AS last_at FROM lead_events
                WHERE workspace_id = \(bind: workspace.rawValue) AND lead_id IN (\(binds: chunk))
                GROUP BY lead_id
                """
            ).all()
            for row in rows {
                last[LeadID(rawValue: try row.decode(column: "lead_id", as: String.self))] = try row.decode(
                    column: "last_at", as: Date.self)
            }
        }
        return last
    }
}
