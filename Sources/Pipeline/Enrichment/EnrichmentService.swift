import Foundation
import LeadgenCore
import Storage

/// Starts enrichment runs: the run and its planning job are written in one transaction.
public struct EnrichmentService: Sendable {
    let database: LeadgenDatabase
    let store: EnrichmentStore
    let jobs: JobQueue
    let webhooks: WebhookStore
    /// Where Apollo can reach this server; phone numbers can be asked for only when it is known.
    let publicURL: URL?

    public init(
        database: LeadgenDatabase, store: EnrichmentStore, jobs: JobQueue, webhooks: WebhookStore, publicURL: URL?
    ) {
        self.database = database
        self.store = store
        self.jobs = jobs
        self.webhooks = webhooks
        self.publicURL = publicURL
    }

    public struct PhonesNeedPublicURL: Error, CustomStringConvertible {
        public var description: String {
            "asking Apollo for phone numbers needs LEADGEN_PUBLIC_URL: Apollo delivers them later to a public webhook"
        }
    }

    /// Queues a run over the selected leads; `budget` caps the credits it may spend (nil: no cap).
    /// `revealPhones` also asks for mobile numbers, which Apollo posts to a webhook with a token of this run.
    public func start(
        workspace: WorkspaceID, selection: EnrichmentSelection, budget: Double?, revealPhones: Bool = false,
        providers: [String] = ["apollo"]
    ) async throws -> EnrichmentRun {
        var selection = selection
        if revealPhones {
            guard let publicURL else { throw PhonesNeedPublicURL() }
            let token = try await webhooks.issueToken(provider: "apollo", purpose: "phones", workspace: workspace)
            selection.phoneWebhookURL = publicURL.appendingPathComponent("webhooks/apollo/\(token)").absoluteString
        }
        let (store, jobs, selected) = (self.store, self.jobs, selection)
        return try await database.transaction { db in
            let run = try await store.createRun(
                workspace: workspace, selection: selected, providers: providers, budget: budget, on: db)
            try await jobs.enqueue(
                try NewJob(
                    kind: EnrichmentPlanJob.kind, payload: EnrichmentPlanJob.Arguments(runID: run.id),
                    queue: EnrichmentPlanJob.queue, priority: 1, uniqueKey: "enrich-plan:\(run.id)",
                    workspace: workspace),
                on: db)
            return run
        }
    }
}
