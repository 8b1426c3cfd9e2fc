import Foundation
import LeadgenCore
import SQLKit

/// Reads stored companies.
public struct CompanyStore: Sendable {
    let database: LeadgenDatabase

    public init(database: LeadgenDatabase) {
        self.database = database
    }

    public func get(_ id: CompanyID, in workspace: WorkspaceID) async throws -> Company? {
        try await get([id], in: workspace)[id]
    }

    public func get(_ ids: Set<CompanyID>, in workspace: WorkspaceID) async throws -> [CompanyID: Company] {
        var companies: [CompanyID: Company] = [:]
        for chunk in ids.map(\.rawValue).chunked(IngestReader.chunkSize) {
            let rows = try await select(workspace).where("id", .in, chunk).all(decoding: CompanyRow.self)
            for row in rows { companies[CompanyID(rawValue: row.id)] = row.company }
        }
        return companies
    }

    /// Companies by name, with an optional name/domain search, after the given id (cursor).
    public func list(in workspace: WorkspaceID, text: String? = nil, after: String? = nil, limit: Int = 50)
        async throws -> [Company]
    {
        let query = select(workspace)
        if let text = text?.lowercased(), !text.isEmpty {
            query.where {
                $0.where(SQLFunction("lower", args: SQLColumn("name")), .like, SQLBind("%\(text)%"))
                    .orWhere("domain", .like, SQLBind("%\(text)%"))
            }
        }
        if let after { query.where("id", .greaterThan, after) }
        return try await query.orderBy("id").limit(limit).all(decoding: CompanyRow.self).map(\.company)
    }

    private func select(_ workspace: WorkspaceID) -> SQLSelectBuilder {
        database.sql.select().columns(CompanyRow.columns.map { SQLColumn($0) }).from("companies")
            .where("workspace_id", .equal, workspace.rawValue)
    }
}
