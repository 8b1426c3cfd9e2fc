import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct DedupeMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merges the leads that are likely one person.",
        discussion: """
            Scans the workspace's leads as `dedupe scan` does and merges every group of leads joined by pairs \
            at or above --min-probability, into the lead of the group created first. Pairs marked "not a \
            duplicate" are never merged. Each merge is kept with both leads' values: `leads unmerge LEAD` \
            undoes it. The command finishes its work before it exits, with progress on a terminal.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "Merges pairs at or above this match probability (default 0.9).")
    var minProbability: Double = LeadLinkage.defaultThreshold

    func validate() throws {
        if !(minProbability > 0 && minProbability < 1) {
            throw ValidationError("--min-probability must be between 0 and 1")
        }
    }

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard let workspace = try await root.stores.workspaces.find(slug: workspaceOption.workspace) else {
                throw CommandFailure("no workspace '\(workspaceOption.workspace)'")
            }
            let onTerminal = isatty(STDERR_FILENO) == 1
            let summary = try await root.deduplication.merge(
                workspace.id, minProbability: minProbability, actor: "cli"
            ) { done, total in
                guard onTerminal else { return }
                FileHandle.standardError.write(Data("\r… \(done) of \(total) merged".utf8))
            }
            if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            print(
                "groups: \(summary.clusters), leads merged into another: \(summary.merged), "
                    + "gone before their turn: \(summary.skipped)")
        }
    }
}

struct DedupeDistinctCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distinct",
        abstract: "Remembers that two leads are two people: no scan proposes them, no merge joins them.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Argument(help: "One lead's id.")
    var lead: String

    @Argument(help: "The other lead's id.")
    var other: String

    func validate() throws {
        if lead == other { throw ValidationError("give two different leads") }
    }

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard let workspace = try await root.stores.workspaces.find(slug: workspaceOption.workspace) else {
                throw CommandFailure("no workspace '\(workspaceOption.workspace)'")
            }
            try await root.stores.duplicatePairs.markDistinct(
                LeadID(rawValue: lead), LeadID(rawValue: other), in: workspace.id, actor: "cli")
            print("\(lead) and \(other) are kept apart")
        }
    }
}
