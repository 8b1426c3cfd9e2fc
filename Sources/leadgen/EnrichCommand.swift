import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct EnrichCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrich",
        abstract: "Enriches leads through Apollo (people/bulk_match, ten at a time) within a credit budget.",
        discussion: """
            Takes the leads not enriched yet (or all with --include-enriched; fresh cached answers are then reused \
            at no cost), runs the work in this process unless --no-wait is given, and prints what it did. A second \
            run pays nothing for leads already enriched.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "Only leads with this status (new, enriched, contacted, replied, qualified, disqualified).")
    var status: String?

    @Option(help: "Only leads with this tag.")
    var tag: String?

    @Option(help: "At most this many leads.")
    var limit: Int?

    @Option(help: "The most credits the run may spend; it stops before going over.")
    var budget: Double?

    @Flag(help: "Also leads enriched before.")
    var includeEnriched = false

    @Flag(help: "Also asks Apollo for mobile numbers (up to 8 more credits each), delivered to LEADGEN_PUBLIC_URL.")
    var phones = false

    @Flag(help: "Queues the run for `leadgen worker` / `leadgen serve` and returns at once.")
    var noWait = false

    func run() async throws {
        var selection = EnrichmentSelection(tag: tag, limit: limit, includeEnriched: includeEnriched)
        if let status {
            guard let value = LeadStatus(rawValue: status) else {
                throw ValidationError(
                    "--status: expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            selection.status = value
        }
        if let limit, limit < 1 { throw ValidationError("--limit: expected a positive number") }
        if let budget, budget < 0 { throw ValidationError("--budget: expected a number of credits, 0 or more") }
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            let workspace = try await root.stores.workspaces
                .findOrCreate(
                    slug: workspaceOption.workspace)
            guard try await root.registry.isConnected("apollo", workspace.id) else {
                throw CommandFailure(ProviderNotConfigured(provider: "apollo").description)
            }
            let run: EnrichmentRun
            do {
                run = try await root.enrichment.start(
                    workspace: workspace.id, selection: selection, budget: budget, revealPhones: phones)
            } catch let error as EnrichmentService.PhonesNeedPublicURL {
                throw CommandFailure(error.description)
            }
            if noWait {
                print("enrichment run \(run.id) queued")
                return
            }
            let store = root.stores.enrichment
            try await runJobsUntilDone(
                root, queues: [EnrichmentPlanJob.queue],
                isDone: { try await store.run(run.id)?.isFinished ?? true },
                progress: {
                    if let current = try await store.run(run.id) {
                        print("… \(current.batchesDone)/\(current.batchesTotal) batches, \(current.spent) credits")
                    }
                })
            guard let done = try await store.run(run.id) else { return }
            print(Self.summary(done))
            if phones {
                let counts = try await root.stores.phoneReveals.counts(run: run.id)
                print(
                    "mobile numbers: \(counts[.pending, default: 0]) still to come from Apollo's webhook, "
                        + "\(counts[.skipped, default: 0]) skipped by Apollo (none will come), "
                        + "\(counts[.delivered, default: 0]) delivered, \(counts[.none, default: 0]) without a number")
            }
            if done.status == .failed { throw ExitCode.failure }
        }
    }

    static func summary(_ run: EnrichmentRun) -> String {
        var lines = [
            "enrichment run \(run.id): \(run.status.rawValue)",
            "leads selected: \(run.leadsSelected), enriched: \(run.leadsEnriched), not found: \(run.leadsNotFound), "
                + "from cache: \(run.leadsFromCache)",
            "credits spent: \(Self.credits(run.spent))"
                + (run.budget.map { " of a budget of \(Self.credits($0))" } ?? ""),
        ]
        if run.leadsOverBudget > 0 { lines.append("left out, over budget: \(run.leadsOverBudget)") }
        if run.leadsInterrupted > 0 {
            lines.append(
                "interrupted (not asked again, to avoid paying twice; a new run takes them): \(run.leadsInterrupted)")
        }
        if run.leadsFailed > 0 { lines.append("failed: \(run.leadsFailed)") }
        if let error = run.error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }

    static func credits(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }
}
