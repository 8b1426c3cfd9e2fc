import Foundation
import LeadgenCore
import SQLKit

/// The rows that follow a person when one lead is merged into another, moved inside the merge's
/// transaction, and moved back when it is undone.
struct LeadMergeMoves {
    let db: any SQLDatabase
    let workspace: WorkspaceID

    private var space: String { workspace.rawValue }

    /// Moves `from`'s rows to `to`, noting each in `record`.
    func move(from: LeadID, to: LeadID, reason: String, into record: inout LeadMergeRecord) async throws {
        record.sources = try await strings(
            "SELECT record_hash AS v FROM lead_sources WHERE workspace_id = \(bind: space) AND lead_id = \(bind: from.rawValue)"
        )
        try await db.raw(
            "UPDATE lead_sources SET lead_id = \(bind: to.rawValue) WHERE workspace_id = \(bind: space) AND lead_id = \(bind: from.rawValue)"
        ).run()

        // Enrolments: one per sequence and lead, so one in a sequence the survivor is in too is finished.
        let taken = Set(
            try await strings(
                "SELECT sequence_id AS v FROM enrollments WHERE workspace_id = \(bind: space) AND lead_id = \(bind: to.rawValue)"
            ))
        let rows = try await db.raw(
            """
            SELECT id, sequence_id, status, status_reason, next_action_at FROM enrollments
            WHERE workspace_id = \(bind: space) AND lead_id = \(bind: from.rawValue) ORDER BY id
            """
        ).all()
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            if taken.contains(try row.decode(column: "sequence_id", as: String.self)) {
                let status = try row.decode(column: "status", as: String.self)
                guard status == "active" || status == "paused" else { continue }
                record.finishedEnrollments.append(
                    .init(
                        id: id, status: status, reason: try row.decode(column: "status_reason", as: String?.self),
                        nextActionAt: try row.decode(column: "next_action_at", as: Date?.self)))
                try await db.raw(
                    """
                    UPDATE enrollments SET status = 'finished', status_reason = \(bind: reason), next_action_at = NULL
                    WHERE id = \(bind: id)
                    """
                ).run()
            } else {
                record.enrollments.append(id)
            }
        }
        try await moveEnrollments(record.enrollments, to: to)

        record.phoneReveals = try await strings(
            "SELECT person_id AS v FROM phone_reveals WHERE workspace_id = \(bind: space) AND lead_id = \(bind: from.rawValue)"
        )
        try await db.raw(
            "UPDATE phone_reveals SET lead_id = \(bind: to.rawValue) WHERE workspace_id = \(bind: space) AND lead_id = \(bind: from.rawValue)"
        ).run()

        let enrichments = try await strings(
            "SELECT lead_id AS v FROM lead_enrichments WHERE lead_id IN (\(bind: from.rawValue), \(bind: to.rawValue))")
        if enrichments == [from.rawValue] {
            try await db.raw(
                "UPDATE lead_enrichments SET lead_id = \(bind: to.rawValue) WHERE lead_id = \(bind: from.rawValue)"
            ).run()
            record.enrichment = true
        }

        // A CRM link moves when the survivor has none with that CRM; else both records stay in the CRM.
        let linked = try await strings(
            "SELECT provider AS v FROM crm_records WHERE object_type = 'lead' AND local_id = \(bind: to.rawValue)")
        for provider in try await strings(
            "SELECT provider AS v FROM crm_records WHERE object_type = 'lead' AND local_id = \(bind: from.rawValue)")
        where !linked.contains(provider) {
            try await db.raw(
                """
                UPDATE crm_records SET local_id = \(bind: to.rawValue)
                WHERE provider = \(bind: provider) AND object_type = 'lead' AND local_id = \(bind: from.rawValue)
                """
            ).run()
            record.crmRecords.append(provider)
        }
    }

    /// Moves what `record` says was moved from `to` back to it from `from`.
    func moveBack(_ record: LeadMergeRecord, from: LeadID, to: LeadID, reason: String) async throws {
        for hashes in record.sources.chunked(500) {
            try await db.raw(
                """
                UPDATE lead_sources SET lead_id = \(bind: to.rawValue)
                WHERE workspace_id = \(bind: space) AND lead_id = \(bind: from.rawValue) AND record_hash IN (\(binds: hashes))
                """
            ).run()
        }
        try await moveEnrollments(record.enrollments, to: to)
        for finished in record.finishedEnrollments {
            // Unless something else has happened to it since.
            try await db.raw(
                """
                UPDATE enrollments SET status = \(bind: finished.status), status_reason = \(SQLValue.of(finished.reason)),
                    next_action_at = \(SQLValue.of(finished.nextActionAt))
                WHERE id = \(bind: finished.id) AND status = 'finished' AND status_reason = \(bind: reason)
                """
            ).run()
        }
        for people in record.phoneReveals.chunked(500) {
            try await db.raw(
                """
                UPDATE phone_reveals SET lead_id = \(bind: to.rawValue)
                WHERE workspace_id = \(bind: space) AND person_id IN (\(binds: people))
                """
            ).run()
        }
        if record.enrichment {
            try await db.raw(
                "UPDATE lead_enrichments SET lead_id = \(bind: to.rawValue) WHERE lead_id = \(bind: from.rawValue)"
            ).run()
        }
        for provider in record.crmRecords {
            try await db.raw(
                """
                UPDATE crm_records SET local_id = \(bind: to.rawValue)
                WHERE provider = \(bind: provider) AND object_type = 'lead' AND local_id = \(bind: from.rawValue)
                """
            ).run()
        }
    }

    /// Moves enrolments, with their messages, to `lead`.
    private func moveEnrollments(_ ids: [String], to lead: LeadID) async throws {
        for chunk in ids.chunked(500) {
            try await db.raw(
                "UPDATE enrollments SET lead_id = \(bind: lead.rawValue) WHERE id IN (\(binds: chunk))"
            ).run()
            try await db.raw(
                "UPDATE messages SET lead_id = \(bind: lead.rawValue) WHERE enrollment_id IN (\(binds: chunk))"
            ).run()
        }
    }

    private func strings(_ query: SQLQueryString) async throws -> [String] {
        try await db.raw(query).all().map { try $0.decode(column: "v", as: String.self) }
    }
}
