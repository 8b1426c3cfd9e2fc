import Foundation
import LeadgenCore
import SQLKit

/// Merge on ingest: matches incoming records to stored leads and companies, merges or creates, and records
/// identities, tags, provenance and events, one batch per transaction.
///
/// A record is the same person as a stored lead when they share an Apollo id, an e-mail, a canonical
/// LinkedIn URL, or (weaker) an E.164 phone with the same last name; the strongest shared key decides.
/// Companies match by domain, then Apollo organization id, then exact name when the record has no domain.
/// A record whose normalized content was ingested before is skipped, so re-importing a file changes nothing.
/// Concurrent ingests into one workspace take turns, so they never create the same person twice.
public struct LeadIngestor: Sendable {
    let database: LeadgenDatabase
    let merger: LeadMerger
    let ids: IDGenerator
    let time: TimeSource

    public init(
        database: LeadgenDatabase, merger: LeadMerger = LeadMerger(), ids: IDGenerator,
        time: TimeSource
    ) {
        self.database = database
        self.merger = merger
        self.ids = ids
        self.time = time
    }

    /// Ingests the items in order, in one transaction, and returns one outcome per item.
    public func ingest(_ items: [IngestItem], into workspace: WorkspaceID, actor: String? = nil) async throws
        -> [IngestOutcome]
    {
        guard !items.isEmpty else { return [] }
        let hashes = items.map { Self.recordHash($0.input) }
        let serialize = database.kind == .postgres
        let (database, ids, time) = (self.database, self.ids, self.time)
        return try await database.transaction { db in
            // Two ingests into one workspace at once (two imports, an import and an API call) must not both
            // create the same person: on PostgreSQL they take turns per workspace, and each then sees what
            // the other committed. SQLite's single writer already serializes them.
            if serialize {
                try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "ingest:" + workspace.rawValue)))")
                    .run()
            }
            var batch = try await IngestBatch.load(
                items: items, hashes: hashes, workspace: workspace, db: db, merger: merger, ids: ids,
                now: time.now(), actor: actor)
            let outcomes = batch.apply()
            try await batch.write(to: db)
            try await PlatformEventOutbox(database: database, ids: ids, time: time).record(
                NewPlatformEvent.from(batch.events), workspace: workspace, on: db)
            return outcomes
        }
    }

    /// A digest of the record's normalized content: the same record from any file or request hashes alike.
    static func recordHash(_ input: LeadInput) -> String {
        Secrets.sha256Hex(input.fingerprint)
    }
}
