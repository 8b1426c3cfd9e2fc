import Foundation
import LeadgenCore
import SQLKit

extension LeadStore {
    /// The leads with these ids that exist in the workspace, in the order asked.
    public func get(_ ids: [LeadID], in workspace: WorkspaceID) async throws -> [Lead] {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.sql.select().columns(LeadRow.columns.map { SQLColumn($0) }).from("leads")
            .where("workspace_id", .equal, workspace.rawValue)
            .where("id", .in, ids.map(\.rawValue))
            .all(decoding: LeadRow.self)
        let tags = try await IngestReader(db: database.sql, workspace: workspace).tags(of: rows.map(\.id))
        let byID = try Dictionary(uniqueKeysWithValues: rows.map { ($0.id, try $0.lead(tags: tags[$0.id] ?? [])) })
        return ids.compactMap { byID[$0.rawValue] }
    }

    /// The ids of leads matching `query`'s filters (its cursor and limit ignored) and `condition`, in id
    /// order, at most `limit`.
    func ids(
        matching query: LeadQuery, in workspace: WorkspaceID, where condition: SQLQueryString? = nil, limit: Int?
    ) async throws -> [LeadID] {
        var filters = query
        filters.cursor = nil
        let select = database.sql.select().column("id").from("leads")
            .where("workspace_id", .equal, workspace.rawValue)
        LeadFilter(query: filters, workspace: workspace).apply(to: select)
        if let condition { select.where(condition) }
        select.orderBy("id")
        if let limit { select.limit(limit) }
        return try await select.all().map { LeadID(rawValue: try $0.decode(column: "id", as: String.self)) }
    }
}

extension LeadStore {
    /// Which of these identities ("apollo_person:…", "email:…") already belong to a lead of the workspace.
    public func knownIdentities(_ keys: [MatchKey], in workspace: WorkspaceID) async throws -> Set<MatchKey> {
        guard !keys.isEmpty else { return [] }
        let byStorage = Dictionary(keys.map { ($0.storageKey, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try await database.sql.raw(
            """
            SELECT match_key FROM lead_identities
            WHERE workspace_id = \(bind: workspace.rawValue) AND match_key IN (\(binds: Array(byStorage.keys)))
            """
        ).all()
        return Set(try rows.compactMap { byStorage[try $0.decode(column: "match_key", as: String.self)] })
    }
}
