import Foundation
import LeadgenCore
import SQLKit

/// The reads an ingest batch needs, each one query per chunk of keys.
struct IngestReader {
    let db: any SQLDatabase
    let workspace: WorkspaceID

    /// Values per `IN (…)` list: well under SQLite's 32,766 bound parameters.
    static let chunkSize = 500

    func knownHashes(_ hashes: [String]) async throws -> [String: LeadID] {
        var known: [String: LeadID] = [:]
        for chunk in Set(hashes).chunked(Self.chunkSize) {
            let rows = try await db.select().columns("record_hash", "lead_id").from("lead_sources")
                .where("workspace_id", .equal, workspace.rawValue)
                .where("record_hash", .in, chunk)
                .all()
            for row in rows {
                known[try row.decode(column: "record_hash", as: String.self)] = LeadID(
                    rawValue: try row.decode(column: "lead_id", as: String.self))
            }
        }
        return known
    }

    func owners(of keys: Set<MatchKey>) async throws -> [MatchKey: LeadID] {
        var owners: [MatchKey: LeadID] = [:]
        for chunk in keys.map(\.storageKey).chunked(Self.chunkSize) {
            let rows = try await db.select().columns("match_key", "lead_id").from("lead_identities")
                .where("workspace_id", .equal, workspace.rawValue)
                .where("match_key", .in, chunk)
                .all()
            for row in rows {
                guard let key = MatchKey(storageKey: try row.decode(column: "match_key", as: String.self)) else {
                    continue
                }
                owners[key] = LeadID(rawValue: try row.decode(column: "lead_id", as: String.self))
            }
        }
        return owners
    }

    func leads(_ ids: Set<LeadID>) async throws -> [LeadID: Lead] {
        var leads: [LeadID: Lead] = [:]
        for chunk in ids.map(\.rawValue).chunked(Self.chunkSize) {
            let rows = try await db.select().columns(LeadRow.columns.map { SQLColumn($0) }).from("leads")
                .where("workspace_id", .equal, workspace.rawValue)
                .where("id", .in, chunk)
                .all(decoding: LeadRow.self)
            let tags = try await self.tags(of: chunk)
            for row in rows {
                let lead = try row.lead(tags: tags[row.id] ?? [])
                leads[lead.id] = lead
            }
        }
        return leads
    }

    func tags(of leadIDs: [String]) async throws -> [String: [String]] {
        var tags: [String: [String]] = [:]
        guard !leadIDs.isEmpty else { return tags }
        let rows = try await db.select().columns("lead_id", "tag").from("lead_tags")
            .where("workspace_id", .equal, workspace.rawValue)
            .where("lead_id", .in, leadIDs)
            .orderBy("tag")
            .all()
        for row in rows {
            tags[try row.decode(column: "lead_id", as: String.self), default: []].append(
                try row.decode(column: "tag", as: String.self))
        }
        return tags
    }

    /// Companies that share a domain, Apollo id or name with the inputs, and those with the given ids.
    func companies(matching inputs: [CompanyFields], plus ids: Set<CompanyID>) async throws -> [CompanyID: Company] {
        var companies: [CompanyID: Company] = [:]
        let lookups: [(String, [String])] = [
            ("domain", Set(inputs.compactMap(\.domain?.value)).sorted()),
            ("apollo_organization_id", Set(inputs.compactMap(\.apolloOrganizationID)).sorted()),
            ("name", Set(inputs.filter { $0.domain == nil }.compactMap(\.name)).sorted()),
            ("id", ids.map(\.rawValue)),
        ]
        for (column, values) in lookups {
            for chunk in values.chunked(Self.chunkSize) {
                let rows = try await db.select().columns(CompanyRow.columns.map { SQLColumn($0) }).from("companies")
                    .where("workspace_id", .equal, workspace.rawValue)
                    .where(SQLColumn(column), .in, SQLBind.group(chunk))
                    .all(decoding: CompanyRow.self)
                for row in rows { companies[CompanyID(rawValue: row.id)] = row.company }
            }
        }
        return companies
    }
}

extension Collection {
    /// The elements in arrays of at most `size`.
    func chunked(_ size: Int) -> [[Element]] {
        var chunks: [[Element]] = []
        var current: [Element] = []
        current.reserveCapacity(Swift.min(size, count))
        for element in self {
            current.append(element)
            if current.count == size {
                chunks.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}
