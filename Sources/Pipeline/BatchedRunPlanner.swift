import Foundation
import LeadgenCore
import SQLKit
import Storage

/// Plans a run done in batches (an enrichment, a sync): splits its leads into batches and, in one
/// transaction, records them with the run's store and queues one job per batch. The jobs' unique keys name
/// the run and the batch, so a planner retried after a crash queues nothing twice.
struct BatchedRunPlanner: Sendable {
    let database: LeadgenDatabase
    let jobs: JobQueue
    /// Leads per batch.
    let batchSize: Int

    /// `record` writes the batches and the run's totals; `job` is the job of batch `seq`.
    func plan(
        _ leads: [LeadID], record: @escaping @Sendable ([[LeadID]], any SQLDatabase) async throws -> Void,
        job: @escaping @Sendable (Int) throws -> NewJob
    ) async throws {
        let size = max(1, batchSize)
        let batches = stride(from: 0, to: leads.count, by: size).map {
            Array(leads[$0..<min(leads.count, $0 + size)])
        }
        let jobs = self.jobs
        try await database.transaction { db in
            try await record(batches, db)
            for seq in batches.indices { try await jobs.enqueue(try job(seq), on: db) }
        }
    }
}
