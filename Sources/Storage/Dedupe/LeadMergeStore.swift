import Foundation
import LeadgenCore
import SQLKit

/// One merge of a lead into another, as listed.
public struct LeadMerge: Sendable, Equatable {
    public var id: String
    public var survivorID: LeadID
    public var absorbedID: LeadID
    /// The match probability that proposed it; nil when a person merged the two by hand.
    public var probability: Double?
    public var actor: String?
    public var createdAt: Date
    public var undoneAt: Date?
}

/// Merges a lead found to be another lead's person into that lead, and undoes such a merge.
///
/// The survivor keeps its id, so links to it from CRMs and sequences hold; it keeps its own values and takes
/// the absorbed lead's where it has none, and the union of e-mails, phones and tags (the absorbed lead's
/// address among the other e-mails). The absorbed lead's sources, enrolments with their messages, phone
/// reveals, enrichment status and CRM links move to the survivor; an enrolment in a sequence the survivor is
/// enrolled in too is finished instead, so the person is not written to twice. Both leads' values and
/// every row moved are kept with the merge, so `unmerge` can put them back.
public struct LeadMergeStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case noSuchLead(LeadID)
        case sameLead
        case notMerged(LeadID)
        /// The survivor was itself merged into another lead (or deleted) since: undo that first.
        case survivorGone(LeadID)

        public var description: String {
            switch self {
            case .noSuchLead(let id): "no lead \(id.rawValue)"
            case .sameLead: "a lead cannot be merged into itself"
            case .notMerged(let id): "lead \(id.rawValue) has no merge to undo"
            case .survivorGone(let id):
                "lead \(id.rawValue), which took the merged lead in, is gone since (merged again or deleted): "
                    + "undo that first"
            }
        }
    }

    /// The reason written on an enrolment finished by a merge.
    static func finishedReason(_ survivor: LeadID) -> String { "merged into \(survivor.rawValue)" }

    /// Merges `absorbed` into `survivor` in one transaction.
    @discardableResult
    public func merge(
        _ absorbed: LeadID, into survivor: LeadID, in workspace: WorkspaceID, probability: Double?, actor: String?
    ) async throws -> LeadMerge {
        guard absorbed != survivor else { throw Failure.sameLead }
        let now = time.now()
        let ids = self.ids
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        let kind = database.kind
        return try await database.transaction { db in
            try await Self.lock([survivor, absorbed], kind: kind, db: db)
            guard let kept = try await LeadStore.get(survivor, in: workspace, db: db) else {
                throw Failure.noSuchLead(survivor)
            }
            guard let gone = try await LeadStore.get(absorbed, in: workspace, db: db) else {
                throw Failure.noSuchLead(absorbed)
            }
            var merged = kept
            var incoming = gone.fields
            if let email = incoming.email { incoming.otherEmails.insert(email, at: 0) }
            var (fields, changes) = LeadMerger(policy: .keepExisting).merge(incoming, into: kept.fields)
            fields.otherEmails.removeAll { $0 == fields.email }
            merged.fields = fields
            if merged.companyID == nil, let company = gone.companyID {
                merged.companyID = company
                changes.append(FieldChange(field: "company_id", oldValue: nil, newValue: company.rawValue))
            }
            let statuses = LeadStatus.allCases
            if let later = statuses.firstIndex(of: gone.status), let own = statuses.firstIndex(of: kept.status),
                later > own
            {
                merged.status = gone.status
                changes.append(
                    FieldChange(field: "status", oldValue: kept.status.rawValue, newValue: gone.status.rawValue))
            }
            merged.updatedAt = now

            let moves = LeadMergeMoves(db: db, workspace: workspace)
            var record = LeadMergeRecord(
                survivorBefore: .init(kept), survivorAfter: .init(merged), absorbed: .init(gone))
            try await moves.move(from: absorbed, to: survivor, reason: Self.finishedReason(survivor), into: &record)
            let deleted = try await db.delete(from: "leads").where("workspace_id", .equal, workspace.rawValue)
                .where("id", .equal, absorbed.rawValue).returning("id").all()
            guard !deleted.isEmpty else { throw Failure.noSuchLead(absorbed) }
            try await LeadWriter(db: db, workspace: workspace).replace(merged)

            let mergeID = "merge_" + ids()
            let absorbedJSON = String(decoding: try JSONEncoder().encode(gone.fields), as: UTF8.self)
            let events =
                [
                    LeadEvent(
                        id: ids(), leadID: absorbed, kind: .mergedInto, oldValue: absorbedJSON,
                        newValue: survivor.rawValue, detail: mergeID, actor: actor, createdAt: now),
                    LeadEvent(
                        id: ids(), leadID: survivor, kind: .merged, detail: "lead:\(absorbed.rawValue)", actor: actor,
                        createdAt: now),
                ]
                + changes.map {
                    LeadEvent(
                        id: ids(), leadID: survivor, kind: .fieldChanged, field: $0.field, oldValue: $0.oldValue,
                        newValue: $0.newValue, detail: "lead:\(absorbed.rawValue)", actor: actor, createdAt: now)
                }
            try await LeadEventWriter.insert(events, workspace: workspace, db: db)
            try await outbox.record(NewPlatformEvent.from(events), workspace: workspace, on: db)

            let recordText = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
            try await db.raw(
                """
                INSERT INTO lead_merges (id, workspace_id, survivor_id, absorbed_id, probability, record, actor,
                    created_at)
                VALUES (\(bind: mergeID), \(bind: workspace.rawValue), \(bind: survivor.rawValue),
                    \(bind: absorbed.rawValue), \(SQLValue.of(probability)), \(bind: recordText),
                    \(SQLValue.of(actor)), \(bind: now))
                """
            ).run()
            try await DuplicatePairStore.afterMerge(
                absorbed, into: survivor, in: workspace, actor: actor, at: now, db: db)
            return LeadMerge(
                id: mergeID, survivorID: survivor, absorbedID: absorbed, probability: probability, actor: actor,
                createdAt: now, undoneAt: nil)
        }
    }

    /// Undoes a merge: `lead` is the absorbed lead, or a survivor (its latest merge is undone). The absorbed
    /// lead comes back with its id, values and moved rows; the survivor gives back what the merge gave it
    /// and keeps what changed since. The pair is remembered as two people.
    @discardableResult
    public func unmerge(_ lead: LeadID, in workspace: WorkspaceID, actor: String?) async throws -> LeadMerge {
        let now = time.now()
        let ids = self.ids
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        let kind = database.kind
        return try await database.transaction { db in
            guard let (merge, record) = try await Self.activeMerge(lead, in: workspace, db: db) else {
                throw Failure.notMerged(lead)
            }
            // Taken in turn with other merges of the survivor; a second undo of this merge finds it undone.
            try await Self.lock([merge.survivorID], kind: kind, db: db)
            if kind == .postgres {
                let still = try await db.raw(
                    "SELECT id FROM lead_merges WHERE id = \(bind: merge.id) AND undone_at IS NULL FOR UPDATE"
                ).all()
                guard !still.isEmpty else { throw Failure.notMerged(lead) }
            }
            guard let current = try await LeadStore.get(merge.survivorID, in: workspace, db: db) else {
                throw Failure.survivorGone(merge.survivorID)
            }
            var survivor = current
            survivor.fields = try current.fields.undoingMerge(
                before: record.survivorBefore.fields, after: record.survivorAfter.fields)
            if current.companyID?.rawValue == record.survivorAfter.companyID {
                survivor.companyID = record.survivorBefore.companyID.map(CompanyID.init(rawValue:))
            }
            if current.status.rawValue == record.survivorAfter.status {
                survivor.status = LeadStatus(rawValue: record.survivorBefore.status) ?? current.status
            }
            var changes = survivor.fields.changes(from: current.fields)
            if survivor.status != current.status {
                changes.append(
                    FieldChange(field: "status", oldValue: current.status.rawValue, newValue: survivor.status.rawValue))
            }
            survivor.updatedAt = now
            let restored = record.absorbed.lead(merge.absorbedID, in: workspace)
            let writer = LeadWriter(db: db, workspace: workspace)
            // The survivor first: giving back the absorbed lead's addresses frees their identities.
            try await writer.replace(survivor)
            let companyName = try await restored.companyID.asyncFlatMap { id in
                try await db.select().column("name").from("companies").where("id", .equal, id.rawValue)
                    .first()?.decode(column: "name", as: String?.self)
            }
            try await db.insert(
                into: "leads", columns: LeadRow.columns,
                rows: [LeadRow(restored, companyName: companyName).values])
            try await writer.replace(restored)
            try await LeadMergeMoves(db: db, workspace: workspace).moveBack(
                record, from: merge.survivorID, to: merge.absorbedID,
                reason: Self.finishedReason(merge.survivorID))

            let events =
                [
                    LeadEvent(
                        id: ids(), leadID: merge.absorbedID, kind: .unmerged, detail: merge.id, actor: actor,
                        createdAt: now),
                    LeadEvent(
                        id: ids(), leadID: merge.survivorID, kind: .unmerged, oldValue: merge.absorbedID.rawValue,
                        detail: merge.id, actor: actor, createdAt: now),
                ]
                + changes.map {
                    LeadEvent(
                        id: ids(), leadID: merge.survivorID, kind: .fieldChanged, field: $0.field,
                        oldValue: $0.oldValue, newValue: $0.newValue, detail: merge.id, actor: actor, createdAt: now)
                }
            try await LeadEventWriter.insert(events, workspace: workspace, db: db)
            try await outbox.record(NewPlatformEvent.from(events), workspace: workspace, on: db)
            try await db.raw("UPDATE lead_merges SET undone_at = \(bind: now) WHERE id = \(bind: merge.id)").run()
            try await DuplicatePairStore.decide(
                merge.survivorID, merge.absorbedID, state: .distinct, in: workspace, actor: actor, at: now, db: db)
            var undone = merge
            undone.undoneAt = now
            return undone
        }
    }

    /// On PostgreSQL, locks the leads' rows (in id order, so two merges never wait on each other in a
    /// circle): a merge or unmerge of the same leads running at the same time waits, then sees what the first
    /// did. SQLite has one writer at a time already.
    static func lock(_ leads: [LeadID], kind: SQLDialectKind, db: any SQLDatabase) async throws {
        guard kind == .postgres else { return }
        let ids = leads.map(\.rawValue).sorted()
        try await db.raw("SELECT id FROM leads WHERE id IN (\(binds: ids)) ORDER BY id FOR UPDATE").run()
    }

    /// The merges into or of `lead`, newest first.
    public func merges(of lead: LeadID, in workspace: WorkspaceID) async throws -> [LeadMerge] {
        try await database.sql.raw(
            """
            SELECT id, survivor_id, absorbed_id, probability, actor, created_at, undone_at FROM lead_merges
            WHERE workspace_id = \(bind: workspace.rawValue)
                AND (survivor_id = \(bind: lead.rawValue) OR absorbed_id = \(bind: lead.rawValue))
            ORDER BY created_at DESC, id DESC LIMIT 1000
            """
        ).all().map(Self.merge)
    }

    /// The merge to undo for `lead`: the one that absorbed it, else the latest into it.
    static func activeMerge(_ lead: LeadID, in workspace: WorkspaceID, db: any SQLDatabase) async throws
        -> (LeadMerge, LeadMergeRecord)?
    {
        let row = try await db.raw(
            """
            SELECT id, survivor_id, absorbed_id, probability, actor, created_at, undone_at, record FROM lead_merges
            WHERE workspace_id = \(bind: workspace.rawValue) AND undone_at IS NULL
                AND (absorbed_id = \(bind: lead.rawValue) OR survivor_id = \(bind: lead.rawValue))
            ORDER BY CASE WHEN absorbed_id = \(bind: lead.rawValue) THEN 0 ELSE 1 END, created_at DESC, id DESC
            LIMIT 1
            """
        ).first()
        guard let row else { return nil }
        let record = try JSONDecoder().decode(
            LeadMergeRecord.self, from: Data(try row.decode(column: "record", as: String.self).utf8))
        return (try merge(row), record)
    }

    static func merge(_ row: any SQLRow) throws -> LeadMerge {
        LeadMerge(
            id: try row.decode(column: "id"),
            survivorID: LeadID(rawValue: try row.decode(column: "survivor_id", as: String.self)),
            absorbedID: LeadID(rawValue: try row.decode(column: "absorbed_id", as: String.self)),
            probability: try row.decode(column: "probability", as: Double?.self),
            actor: try row.decode(column: "actor", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            undoneAt: try row.decode(column: "undone_at", as: Date?.self))
    }
}
