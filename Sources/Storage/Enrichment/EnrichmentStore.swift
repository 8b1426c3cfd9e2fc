import Foundation
import LeadgenCore
import SQLKit

/// Enrichment runs, their batches, the answer cache and the credit ledger.
///
/// Budgets hold with any number of workers: a batch reserves its worst-case cost with one conditional
/// UPDATE on the run's row before it calls a provider (so two workers cannot both take the last credits),
/// and settles the reservation against the charge the provider reports when it finishes.
public struct EnrichmentStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    // MARK: Runs

    public func createRun(
        workspace: WorkspaceID, selection: EnrichmentSelection, providers: [String], budget: Double?,
        id: String? = nil, on db: (any SQLDatabase)? = nil
    ) async throws -> EnrichmentRun {
        let run = EnrichmentRun(
            id: id ?? ids(), workspaceID: workspace.rawValue, status: .queued, selection: selection,
            providers: providers,
            budget: budget, spent: 0, reserved: 0, leadsSelected: 0, leadsEnriched: 0, leadsNotFound: 0,
            leadsFromCache: 0, leadsOverBudget: 0, leadsInterrupted: 0, leadsFailed: 0, batchesTotal: 0,
            batchesDone: 0, error: nil, createdAt: time.now(), finishedAt: nil)
        try await (db ?? database.sql).raw(
            """
            INSERT INTO enrichment_runs (id, workspace_id, status, filter, providers, budget_millicredits, created_at)
            VALUES (\(bind: run.id), \(bind: run.workspaceID), \(bind: run.status.rawValue),
                    \(bind: JSONText.encode(selection)), \(bind: JSONText.encode(providers)),
                    \(bind: budget.map(Millicredits.from)), \(bind: run.createdAt))
            """
        ).run()
        return run
    }

    public func run(_ id: String, in workspace: WorkspaceID? = nil) async throws -> EnrichmentRun? {
        let scope: SQLQueryString = workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
        return try await database.sql.raw("SELECT * FROM enrichment_runs WHERE id = \(bind: id) \(scope)").first()
            .map(Self.decodeRun)
    }

    public func runs(in workspace: WorkspaceID, limit: Int = 50) async throws -> [EnrichmentRun] {
        try await database.sql.raw(
            """
            SELECT * FROM enrichment_runs WHERE workspace_id = \(bind: workspace.rawValue)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decodeRun)
    }

    /// The leads a run takes: those matching its selection that carry something a provider can find a person
    /// by, and (unless asked otherwise) have no enrichment answer yet.
    public func eligibleLeads(for run: EnrichmentRun) async throws -> [LeadID] {
        var query = LeadQuery()
        query.status = run.selection.status
        query.tag = run.selection.tag
        var condition: SQLQueryString =
            "(email IS NOT NULL OR linkedin_url IS NOT NULL OR apollo_person_id IS NOT NULL OR (last_name IS NOT NULL AND company_id IS NOT NULL))"
        if !run.selection.includeEnriched {
            condition =
                condition
                + " AND id NOT IN (SELECT lead_id FROM lead_enrichments WHERE status IN ('enriched', 'not_found'))"
        }
        if let chosen = run.selection.leadIDs {
            guard !chosen.isEmpty else { return [] }
            condition = condition + " AND id IN (\(binds: chosen))"
        }
        return try await LeadStore(database: database, ids: ids, time: time).ids(
            matching: query, in: WorkspaceID(rawValue: run.workspaceID), where: condition, limit: run.selection.limit)
    }

    /// Records the run's batches and marks it running, on `db` (the transaction that enqueues their jobs).
    public func plan(_ run: EnrichmentRun, batches: [[LeadID]], on db: any SQLDatabase) async throws {
        let now = time.now()
        for (seq, leads) in batches.enumerated() {
            try await db.raw(
                """
                INSERT INTO enrichment_batches (run_id, seq, workspace_id, lead_ids, state, updated_at)
                VALUES (\(bind: run.id), \(bind: seq), \(bind: run.workspaceID),
                        \(bind: JSONText.encode(leads.map(\.rawValue))), 'pending', \(bind: now))
                """
            ).run()
        }
        let status: EnrichmentRun.Status = batches.isEmpty ? .succeeded : .running
        let finished: Date? = batches.isEmpty ? now : nil
        try await db.raw(
            """
            UPDATE enrichment_runs SET status = \(bind: status.rawValue), batches_total = \(bind: batches.count),
                leads_selected = \(bind: batches.reduce(0) { $0 + $1.count }), finished_at = \(bind: finished)
            WHERE id = \(bind: run.id) AND status = 'queued'
            """
        ).run()
    }

    /// Ends a run that cannot go on; the first time, `enrichment.finished` is recorded with it, with the error.
    public func failRun(_ id: String, error: String) async throws {
        let now = time.now()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        try await database.transaction { db in
            let failed = try await db.raw(
                """
                UPDATE enrichment_runs SET status = 'failed', error = \(bind: error), finished_at = \(bind: now)
                WHERE id = \(bind: id) AND status IN ('queued', 'running')
                RETURNING *
                """
            ).all()
            guard let run = try failed.first.map(Self.decodeRun) else { return }
            var event = Self.completedEvent(run)
            event.payload["error"] = .text(error)
            try await outbox.record([event], workspace: WorkspaceID(rawValue: run.workspaceID), on: db)
        }
    }

    // MARK: Batches

    public func batch(_ runID: String, seq: Int) async throws -> EnrichmentBatch? {
        guard
            let row = try await database.sql.raw(
                "SELECT * FROM enrichment_batches WHERE run_id = \(bind: runID) AND seq = \(bind: seq)"
            ).first()
        else { return nil }
        return EnrichmentBatch(
            runID: runID, seq: seq, workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            leadIDs: JSONText.decode([String].self, try row.decode(column: "lead_ids"), default: []).map(
                LeadID.init(rawValue:)),
            state: EnrichmentBatchState(rawValue: try row.decode(column: "state")) ?? .pending,
            callingProvider: try row.decode(column: "calling_provider", as: String?.self),
            reserved: Millicredits.credits(try row.decode(column: "reserved_millicredits")))
    }

    /// Moves a batch to `state`; `.calling` names the provider being asked, and is committed before the call.
    public func setState(_ runID: String, seq: Int, _ state: EnrichmentBatchState, provider: String? = nil)
        async throws
    {
        try await database.sql.raw(
            """
            UPDATE enrichment_batches SET state = \(bind: state.rawValue), calling_provider = \(bind: provider),
                updated_at = \(bind: time.now())
            WHERE run_id = \(bind: runID) AND seq = \(bind: seq)
            """
        ).run()
    }

    /// What a reservation got.
    public struct Reservation: Sendable, Equatable {
        /// Credits granted: all that was wanted, part of it when the budget is nearly spent, or 0.
        public var granted: Double
        /// Whether other batches hold reservations that may come back unspent (a person not found costs
        /// nothing): worth waiting for before leaving leads out.
        public var othersHolding: Bool
    }

    /// Reserves up to `wanted` credits of the run's budget for a batch, in steps of `unit` (the most one lead
    /// can cost). A batch that holds a reservation already (a retry) keeps it.
    public func reserve(_ runID: String, seq: Int, wanted: Double, unit: Double) async throws -> Reservation {
        try await database.transaction { db in
            guard
                let batch = try await db.raw(
                    "SELECT reserved_millicredits FROM enrichment_batches WHERE run_id = \(bind: runID) AND seq = \(bind: seq)"
                ).first()
            else { return Reservation(granted: 0, othersHolding: false) }
            let held: Int64 = try batch.decode(column: "reserved_millicredits")
            if held > 0 { return Reservation(granted: Millicredits.credits(held), othersHolding: false) }
            let unitMillis = max(1, Millicredits.from(unit))
            var amount = Millicredits.from(wanted)
            while amount > 0 {
                // One statement decides: concurrent reservations on the same run queue on its row lock and each
                // sees the others' committed reservations.
                let granted = try await db.raw(
                    """
                    UPDATE enrichment_runs SET reserved_millicredits = reserved_millicredits + \(bind: amount)
                    WHERE id = \(bind: runID) AND (budget_millicredits IS NULL
                        OR spent_millicredits + reserved_millicredits + \(bind: amount) <= budget_millicredits)
                    RETURNING id
                    """
                ).all()
                if !granted.isEmpty {
                    try await db.raw(
                        """
                        UPDATE enrichment_batches SET reserved_millicredits = \(bind: amount)
                        WHERE run_id = \(bind: runID) AND seq = \(bind: seq)
                        """
                    ).run()
                    return Reservation(granted: Millicredits.credits(amount), othersHolding: false)
                }
                guard
                    let run = try await db.raw(
                        "SELECT budget_millicredits, spent_millicredits, reserved_millicredits FROM enrichment_runs WHERE id = \(bind: runID)"
                    ).first()
                else { return Reservation(granted: 0, othersHolding: false) }
                let budget: Int64 = try run.decode(column: "budget_millicredits")
                let reserved: Int64 = try run.decode(column: "reserved_millicredits")
                let used: Int64 = try run.decode(column: "spent_millicredits") + reserved
                let room = (budget - used) / unitMillis * unitMillis
                if room <= 0 { return Reservation(granted: 0, othersHolding: reserved > 0) }
                amount = min(amount - unitMillis, room)
            }
            return Reservation(granted: 0, othersHolding: false)
        }
    }

    /// Fresh cached answers of `provider` for these lookup keys.
    public func cachedAnswers(
        workspace: WorkspaceID, provider: String, keys: [String], maxAge: TimeInterval
    ) async throws -> [String: String] {
        guard !keys.isEmpty else { return [:] }
        let oldest = time.now().addingTimeInterval(-maxAge)
        let rows = try await database.sql.raw(
            """
            SELECT lookup_key, response FROM enrichment_cache
            WHERE workspace_id = \(bind: workspace.rawValue) AND provider = \(bind: provider)
              AND lookup_key IN (\(binds: keys)) AND fetched_at >= \(bind: oldest)
            """
        ).all()
        var answers: [String: String] = [:]
        for row in rows { answers[try row.decode(column: "lookup_key")] = try row.decode(column: "response") }
        return answers
    }

    /// Records what a provider answered and charged for a batch, in one transaction: the cache entries, the
    /// ledger line and the batch's state. After this a retry never asks the provider again.
    public func recordAnswers(
        _ batch: EnrichmentBatch, provider: String, answers: [(key: String, response: String)], charged: Double
    ) async throws {
        let now = time.now()
        let ledgerID = ids()
        try await database.transaction { db in
            for answer in answers {
                try await db.raw(
                    """
                    INSERT INTO enrichment_cache (workspace_id, provider, lookup_key, response, fetched_at)
                    VALUES (\(bind: batch.workspaceID.rawValue), \(bind: provider), \(bind: answer.key),
                            \(bind: answer.response), \(bind: now))
                    ON CONFLICT (workspace_id, provider, lookup_key)
                    DO UPDATE SET response = excluded.response, fetched_at = excluded.fetched_at
                    """
                ).run()
            }
            let millis = Millicredits.from(charged)
            try await db.raw(
                """
                INSERT INTO credit_ledger (id, workspace_id, provider, run_id, batch_seq, millicredits, created_at)
                VALUES (\(bind: ledgerID), \(bind: batch.workspaceID.rawValue), \(bind: provider), \(bind: batch.runID),
                        \(bind: batch.seq), \(bind: millis), \(bind: now))
                ON CONFLICT (run_id, batch_seq, provider) DO NOTHING
                """
            ).run()
            try await db.raw(
                """
                UPDATE enrichment_batches SET state = 'answered', spent_millicredits = spent_millicredits + \(bind: millis),
                    updated_at = \(bind: now)
                WHERE run_id = \(bind: batch.runID) AND seq = \(bind: batch.seq)
                """
            ).run()
        }
    }

    /// Closes a batch: records each lead's outcome, settles the reservation against what was spent, counts
    /// the outcomes into the run and finishes the run with its last batch. Counting happens once even when
    /// a retry closes the same batch again.
    public func finish(_ batch: EnrichmentBatch, outcomes: [EnrichmentOutcome]) async throws {
        let now = time.now()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        try await database.transaction { db in
            let closed = try await db.raw(
                """
                UPDATE enrichment_batches SET state = 'done', updated_at = \(bind: now)
                WHERE run_id = \(bind: batch.runID) AND seq = \(bind: batch.seq) AND state <> 'done'
                RETURNING reserved_millicredits, spent_millicredits
                """
            ).all()
            guard let row = closed.first else { return }
            let reserved: Int64 = try row.decode(column: "reserved_millicredits")
            let spent: Int64 = try row.decode(column: "spent_millicredits")
            for outcome in outcomes {
                try await db.raw(
                    """
                    INSERT INTO lead_enrichments (lead_id, workspace_id, provider, status, run_id, detail, updated_at)
                    VALUES (\(bind: outcome.leadID.rawValue), \(bind: batch.workspaceID.rawValue), \(bind: outcome.provider),
                            \(bind: outcome.kind.rawValue), \(bind: batch.runID), \(bind: outcome.detail), \(bind: now))
                    ON CONFLICT (lead_id) DO UPDATE SET provider = excluded.provider, status = excluded.status,
                        run_id = excluded.run_id, detail = excluded.detail, updated_at = excluded.updated_at
                    """
                ).run()
            }
            func count(_ kind: EnrichmentOutcome.Kind) -> Int { outcomes.filter { $0.kind == kind }.count }
            try await db.raw(
                """
                UPDATE enrichment_runs SET
                    reserved_millicredits = reserved_millicredits - \(bind: reserved),
                    spent_millicredits = spent_millicredits + \(bind: spent),
                    leads_enriched = leads_enriched + \(bind: count(.enriched)),
                    leads_not_found = leads_not_found + \(bind: count(.notFound)),
                    leads_from_cache = leads_from_cache + \(bind: outcomes.filter(\.fromCache).count),
                    leads_over_budget = leads_over_budget + \(bind: count(.overBudget)),
                    leads_interrupted = leads_interrupted + \(bind: count(.interrupted)),
                    leads_failed = leads_failed + \(bind: count(.failed)),
                    batches_done = batches_done + 1
                WHERE id = \(bind: batch.runID)
                """
            ).run()
            let finished = try await db.raw(
                """
                UPDATE enrichment_runs SET
                    status = CASE WHEN leads_over_budget > 0 THEN 'budget_exhausted' ELSE 'succeeded' END,
                    finished_at = \(bind: now)
                WHERE id = \(bind: batch.runID) AND batches_done >= batches_total AND status = 'running'
                RETURNING *
                """
            ).all()
            if let run = try finished.first.map(Self.decodeRun) {
                try await outbox.record([Self.completedEvent(run)], workspace: batch.workspaceID, on: db)
            }
        }
    }

    /// `enrichment.finished`: the finished run's counts.
    static func completedEvent(_ run: EnrichmentRun) -> NewPlatformEvent {
        NewPlatformEvent(
            .enrichmentFinished, subject: run.id,
            payload: [
                "run_id": .text(run.id), "status": .text(run.status.rawValue),
                "leads_selected": .number(Double(run.leadsSelected)),
                "leads_enriched": .number(Double(run.leadsEnriched)),
                "leads_not_found": .number(Double(run.leadsNotFound)),
                "leads_from_cache": .number(Double(run.leadsFromCache)),
                "leads_over_budget": .number(Double(run.leadsOverBudget)),
                "leads_interrupted": .number(Double(run.leadsInterrupted)),
                "leads_failed": .number(Double(run.leadsFailed)), "credits_spent": .number(run.spent),
            ])
    }

    /// Credits the workspace spent since `date`, by provider.
    public func creditsSpent(in workspace: WorkspaceID, since date: Date) async throws -> [String: Double] {
        let rows = try await database.sql.raw(
            """
            SELECT provider, SUM(millicredits) AS total FROM credit_ledger
            WHERE workspace_id = \(bind: workspace.rawValue) AND created_at >= \(bind: date) GROUP BY provider
            """
        ).all()
        var totals: [String: Double] = [:]
        for row in rows {
            totals[try row.decode(column: "provider")] = Millicredits.credits(try row.decode(column: "total"))
        }
        return totals
    }

    // MARK: Decoding

    static func decodeRun(_ row: any SQLRow) throws -> EnrichmentRun {
        func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
        return EnrichmentRun(
            id: try row.decode(column: "id"), workspaceID: try row.decode(column: "workspace_id"),
            status: EnrichmentRun.Status(rawValue: try row.decode(column: "status")) ?? .failed,
            selection: JSONText.decode(
                EnrichmentSelection.self, try row.decode(column: "filter"), default: EnrichmentSelection()),
            providers: JSONText.decode([String].self, try row.decode(column: "providers"), default: []),
            budget: try row.decode(column: "budget_millicredits", as: Int64?.self).map(Millicredits.credits),
            spent: Millicredits.credits(try row.decode(column: "spent_millicredits")),
            reserved: Millicredits.credits(try row.decode(column: "reserved_millicredits")),
            leadsSelected: try int("leads_selected"), leadsEnriched: try int("leads_enriched"),
            leadsNotFound: try int("leads_not_found"), leadsFromCache: try int("leads_from_cache"),
            leadsOverBudget: try int("leads_over_budget"), leadsInterrupted: try int("leads_interrupted"),
            leadsFailed: try int("leads_failed"), batchesTotal: try int("batches_total"),
            batchesDone: try int("batches_done"), error: try row.decode(column: "error", as: String?.self),
            createdAt: try row.decode(column: "created_at"),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}

extension EnrichmentStore {
    /// The last enrichment outcome of a lead: status, provider, detail and run.
    public func outcome(of lead: LeadID, in workspace: WorkspaceID) async throws -> (
        status: String, provider: String?, detail: String?, runID: String?
    )? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT status, provider, detail, run_id FROM lead_enrichments
                WHERE lead_id = \(bind: lead.rawValue) AND workspace_id = \(bind: workspace.rawValue)
                """
            ).first()
        else { return nil }
        return (
            try row.decode(column: "status"), try row.decode(column: "provider", as: String?.self),
            try row.decode(column: "detail", as: String?.self), try row.decode(column: "run_id", as: String?.self)
        )
    }
}
