import Foundation
import LeadgenCore
import SQLKit

/// Sync runs, their batches, and what each CRM holds for every lead and company.
public struct SyncStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public func createRun(
        workspace: WorkspaceID, provider: String, scope: SyncRun.Scope, id: String? = nil,
        on db: (any SQLDatabase)? = nil
    ) async throws -> SyncRun {
        let run = SyncRun(
            id: id ?? ids(), workspaceID: workspace.rawValue, provider: provider, status: .queued, scope: scope,
            leadsSelected: 0, leadsCreated: 0, leadsUpdated: 0, leadsUnchanged: 0, leadsFailed: 0, batchesTotal: 0,
            batchesDone: 0, error: nil, createdAt: time.now(), finishedAt: nil)
        try await (db ?? database.sql).raw(
            """
            INSERT INTO sync_runs (id, workspace_id, provider, status, scope, created_at)
            VALUES (\(bind: run.id), \(bind: run.workspaceID), \(bind: provider), 'queued', \(bind: scope.rawValue),
                    \(bind: run.createdAt))
            """
        ).run()
        return run
    }

    public func run(_ id: String, in workspace: WorkspaceID? = nil) async throws -> SyncRun? {
        let scope: SQLQueryString = workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
        return try await database.sql.raw("SELECT * FROM sync_runs WHERE id = \(bind: id) \(scope)").first()
            .map(Self.decodeRun)
    }

    public func runs(in workspace: WorkspaceID, limit: Int = 50) async throws -> [SyncRun] {
        try await database.sql.raw(
            """
            SELECT * FROM sync_runs WHERE workspace_id = \(bind: workspace.rawValue)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decodeRun)
    }

    /// Whether a run for the provider is queued or running in the workspace.
    public func hasActiveRun(workspace: WorkspaceID, provider: String) async throws -> Bool {
        try await !database.sql.raw(
            """
            SELECT id FROM sync_runs WHERE workspace_id = \(bind: workspace.rawValue) AND provider = \(bind: provider)
              AND status IN ('queued', 'running') LIMIT 1
            """
        ).all().isEmpty
    }

    /// Leads to send: every lead with an e-mail for `.all`; otherwise those never synced, changed since, or
    /// whose last attempt failed. Leads edited in the last `quietFor` seconds wait for the next run, so a
    /// burst of edits is sent once.
    public func candidates(
        workspace: WorkspaceID, provider: String, scope: SyncRun.Scope, quietFor: TimeInterval = 0
    ) async throws -> [LeadID] {
        var condition: SQLQueryString = "email IS NOT NULL"
        if quietFor > 0 {
            condition = condition + " AND updated_at <= \(bind: time.now().addingTimeInterval(-quietFor))"
        }
        if scope == .changed {
            condition =
                condition
                    + """
                     AND NOT EXISTS (SELECT 1 FROM crm_records r WHERE r.provider = \(bind: provider)
                        AND r.object_type = 'lead' AND r.local_id = leads.id AND r.last_error IS NULL
                        AND r.synced_at >= leads.updated_at)
                    """
        }
        return try await LeadStore(database: database, ids: ids, time: time).ids(
            matching: LeadQuery(), in: workspace, where: condition, limit: nil)
    }

    public func plan(_ run: SyncRun, batches: [[LeadID]], on db: any SQLDatabase) async throws {
        for (seq, leads) in batches.enumerated() {
            try await db.raw(
                """
                INSERT INTO sync_batches (run_id, seq, lead_ids)
                VALUES (\(bind: run.id), \(bind: seq), \(bind: JSONText.encode(leads.map(\.rawValue))))
                """
            ).run()
        }
        let finished = batches.isEmpty
        try await db.raw(
            """
            UPDATE sync_runs SET status = \(bind: finished ? "succeeded" : "running"),
                batches_total = \(bind: batches.count), leads_selected = \(bind: batches.reduce(0) { $0 + $1.count }),
                finished_at = \(bind: finished ? time.now() : nil)
            WHERE id = \(bind: run.id) AND status = 'queued'
            """
        ).run()
    }

    /// The batch's leads, and whether it was finished already.
    public func batch(_ runID: String, seq: Int) async throws -> (leads: [LeadID], done: Bool)? {
        guard
            let row = try await database.sql.raw(
                "SELECT lead_ids, done FROM sync_batches WHERE run_id = \(bind: runID) AND seq = \(bind: seq)"
            ).first()
        else { return nil }
        return (
            JSONText.decode([String].self, try row.decode(column: "lead_ids"), default: []).map(LeadID.init(rawValue:)),
            try row.decode(column: "done", as: Int.self) != 0
        )
    }

    /// What the CRM holds for these local records.
    public func records(provider: String, objectType: String, localIDs: [String]) async throws -> [String: CRMRecord] {
        guard !localIDs.isEmpty else { return [:] }
        let rows = try await database.sql.raw(
            """
            SELECT local_id, remote_id, content_hash, last_error FROM crm_records
            WHERE provider = \(bind: provider) AND object_type = \(bind: objectType) AND local_id IN (\(binds: localIDs))
            """
        ).all()
        var records: [String: CRMRecord] = [:]
        for row in rows {
            let record = CRMRecord(
                localID: try row.decode(column: "local_id"),
                remoteID: try row.decode(column: "remote_id", as: String?.self),
                contentHash: try row.decode(column: "content_hash", as: String?.self),
                lastError: try row.decode(column: "last_error", as: String?.self))
            records[record.localID] = record
        }
        return records
    }

    /// The local records a CRM id in one CRM account belongs to: one per workspace connected to that account
    /// (ids of other accounts, which may be equal, never match).
    public func localIDs(provider: String, account: String, objectType: String, remoteID: String) async throws -> [(
        workspace: WorkspaceID, localID: String
    )] {
        let rows = try await database.sql.raw(
            """
            SELECT r.workspace_id, r.local_id FROM crm_records r
            JOIN crm_accounts a ON a.workspace_id = r.workspace_id AND a.provider = r.provider
            WHERE r.provider = \(bind: provider) AND a.account_id = \(bind: account)
              AND r.object_type = \(bind: objectType) AND r.remote_id = \(bind: remoteID)
            ORDER BY r.workspace_id
            """
        ).all()
        return try rows.map {
            (WorkspaceID(rawValue: try $0.decode(column: "workspace_id")), try $0.decode(column: "local_id"))
        }
    }

    /// Saves what the CRM now holds, outside any run (companies, as soon as they are written).
    public func save(_ records: [CRMRecord], provider: String, objectType: String, workspace: WorkspaceID) async throws
    {
        try await database.transaction { db in
            try await Self.save(
                records, provider: provider, objectType: objectType, workspace: workspace, now: time.now(), db: db)
        }
    }

    /// Closes a batch: saves each lead's record, counts the outcomes once, and finishes the run with its
    /// last batch.
    public func finish(
        runID: String, seq: Int, workspace: WorkspaceID, provider: String, outcomes: [SyncOutcome]
    ) async throws {
        let now = time.now()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        try await database.transaction { db in
            let closed = try await db.raw(
                """
                UPDATE sync_batches SET done = 1 WHERE run_id = \(bind: runID) AND seq = \(bind: seq) AND done = 0
                RETURNING seq
                """
            ).all()
            guard !closed.isEmpty else { return }
            try await Self.save(
                outcomes.map(\.record), provider: provider, objectType: "lead", workspace: workspace, now: now, db: db)
            let failures = outcomes.filter { $0.kind == .failed }.map {
                NewPlatformEvent(
                    .syncFailed, subject: $0.record.localID,
                    payload: [
                        "lead_id": .text($0.record.localID), "provider": .text(provider), "run_id": .text(runID),
                        "error": .text($0.record.lastError),
                    ])
            }
            try await outbox.record(failures, workspace: workspace, on: db)
            func count(_ kind: SyncOutcome.Kind) -> Int { outcomes.filter { $0.kind == kind }.count }
            try await db.raw(
                """
                UPDATE sync_runs SET leads_created = leads_created + \(bind: count(.created)),
                    leads_updated = leads_updated + \(bind: count(.updated)),
                    leads_unchanged = leads_unchanged + \(bind: count(.unchanged)),
                    leads_failed = leads_failed + \(bind: count(.failed)), batches_done = batches_done + 1
                WHERE id = \(bind: runID)
                """
            ).run()
            let finished = try await db.raw(
                """
                UPDATE sync_runs SET status = 'succeeded', finished_at = \(bind: now)
                WHERE id = \(bind: runID) AND batches_done >= batches_total AND status = 'running'
                RETURNING leads_created, leads_updated, leads_unchanged, leads_failed
                """
            ).first()
            if let finished {
                let counts = try ["leads_created", "leads_updated", "leads_unchanged", "leads_failed"].map {
                    ($0, NewPlatformEvent.PayloadValue.number(Double(try finished.decode(column: $0, as: Int.self))))
                }
                let event = NewPlatformEvent(
                    .syncFinished, subject: runID,
                    payload: Dictionary(uniqueKeysWithValues: counts).merging([
                        "run_id": .text(runID), "provider": .text(provider), "status": .text("succeeded"),
                    ]) { $1 })
                try await outbox.record([event], workspace: workspace, on: db)
            }
        }
    }

    /// Ends a run that cannot go on; the first time, `sync.finished` is recorded with it, with the error.
    public func failRun(_ id: String, error: String) async throws {
        let now = time.now()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        try await database.transaction { db in
            guard
                let run = try await db.raw(
                    """
                    UPDATE sync_runs SET status = 'failed', error = \(bind: error), finished_at = \(bind: now)
                    WHERE id = \(bind: id) AND status IN ('queued', 'running')
                    RETURNING workspace_id, provider, leads_created, leads_updated, leads_unchanged, leads_failed
                    """
                ).first()
            else { return }
            var payload: [String: NewPlatformEvent.PayloadValue] = [
                "run_id": .text(id), "provider": .text(try run.decode(column: "provider")), "status": .text("failed"),
                "error": .text(error),
            ]
            for column in ["leads_created", "leads_updated", "leads_unchanged", "leads_failed"] {
                payload[column] = .number(Double(try run.decode(column: column, as: Int.self)))
            }
            try await outbox.record(
                [NewPlatformEvent(.syncFinished, subject: id, payload: payload)],
                workspace: WorkspaceID(rawValue: try run.decode(column: "workspace_id")), on: db)
        }
    }

    static func save(
        _ records: [CRMRecord], provider: String, objectType: String, workspace: WorkspaceID, now: Date,
        db: any SQLDatabase
    ) async throws {
        for record in records {
            // A failed attempt keeps the id and digest of the last success.
            try await db.raw(
                """
                INSERT INTO crm_records (workspace_id, provider, object_type, local_id, remote_id, content_hash,
                                         synced_at, last_error)
                VALUES (\(bind: workspace.rawValue), \(bind: provider), \(bind: objectType), \(bind: record.localID),
                        \(bind: record.remoteID), \(bind: record.contentHash), \(bind: now), \(bind: record.lastError))
                ON CONFLICT (provider, object_type, local_id) DO UPDATE SET
                    remote_id = COALESCE(excluded.remote_id, crm_records.remote_id),
                    content_hash = CASE WHEN excluded.last_error IS NULL THEN excluded.content_hash
                                        ELSE crm_records.content_hash END,
                    synced_at = excluded.synced_at, last_error = excluded.last_error
                """
            ).run()
        }
    }

    static func decodeRun(_ row: any SQLRow) throws -> SyncRun {
        func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
        return SyncRun(
            id: try row.decode(column: "id"), workspaceID: try row.decode(column: "workspace_id"),
            provider: try row.decode(column: "provider"),
            status: SyncRun.Status(rawValue: try row.decode(column: "status")) ?? .failed,
            scope: SyncRun.Scope(rawValue: try row.decode(column: "scope")) ?? .changed,
            leadsSelected: try int("leads_selected"), leadsCreated: try int("leads_created"),
            leadsUpdated: try int("leads_updated"), leadsUnchanged: try int("leads_unchanged"),
            leadsFailed: try int("leads_failed"), batchesTotal: try int("batches_total"),
            batchesDone: try int("batches_done"), error: try row.decode(column: "error", as: String?.self),
            createdAt: try row.decode(column: "created_at"),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}
