import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct LeadsUnmergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmerge",
        abstract: "Undoes a merge of one lead into another.",
        discussion: """
            LEAD is the lead that was merged away (it comes back with its id, values, sources, enrolments, \
            messages and CRM link), or the lead it was merged into (its latest merge is undone). The other lead \
            gives back what the merge gave it and keeps what changed since. The two are then kept apart.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Argument(help: "The lead's id.")
    var lead: String

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard let workspace = try await root.stores.workspaces.find(slug: workspaceOption.workspace) else {
                throw CommandFailure("no workspace '\(workspaceOption.workspace)'")
            }
            do {
                let merge = try await root.stores.leadMerges.unmerge(
                    LeadID(rawValue: lead), in: workspace.id, actor: "cli")
                print("\(merge.absorbedID.rawValue) is back, apart from \(merge.survivorID.rawValue)")
            } catch let failure as LeadMergeStore.Failure {
                throw CommandFailure(failure.description)
            }
        }
    }
}
