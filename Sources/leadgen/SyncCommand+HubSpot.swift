import App
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Storage

extension SyncCommand {
    struct HubSpot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hubspot",
            abstract: "Upserts leads with an e-mail into HubSpot as contacts, with their companies, 100 per call.",
            discussion: """
                Sends the leads never synced or changed since (all of them with --all; unchanged ones are still \
                skipped). Runs in this process unless --no-wait is given. A second run makes no writes.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspaceOption: WorkspaceOption

        @Flag(help: "Considers every lead with an e-mail, not only those changed since their last sync.")
        var all = false

        @Flag(help: "Queues the run for `leadgen worker` / `leadgen serve` and returns at once.")
        var noWait = false

        func run() async throws {
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                let workspace = try await root.stores.workspaces.findOrCreate(
                    slug: workspaceOption.workspace)
                guard try await root.registry.isConnected("hubspot", workspace.id) else {
                    throw CommandFailure(ProviderNotConfigured(provider: "hubspot").description)
                }
                let run = try await root.sync.start(workspace: workspace.id, scope: all ? .all : .changed)
                if noWait {
                    print("sync run \(run.id) queued")
                    return
                }
                let store = root.stores.sync
                try await runJobsUntilDone(
                    root, queues: [SyncPlanJob.queue],
                    isDone: { try await store.run(run.id)?.isFinished ?? true },
                    progress: {
                        if let current = try await store.run(run.id) {
                            print("… \(current.batchesDone)/\(current.batchesTotal) batches")
                        }
                    })
                guard let done = try await store.run(run.id) else { return }
                print("sync run \(done.id): \(done.status.rawValue)")
                print(
                    "leads selected: \(done.leadsSelected), created: \(done.leadsCreated), updated: \(done.leadsUpdated), "
                        + "unchanged: \(done.leadsUnchanged), failed: \(done.leadsFailed)")
                if let error = done.error { print("error: \(error)") }
                if done.status == .failed { throw ExitCode.failure }
            }
        }
    }
}
