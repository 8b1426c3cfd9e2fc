import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

extension SequencesCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the workspace's sequences.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let rows = try await root.stores.sequences.list(in: workspace.id).map {
                    [$0.id, $0.name, $0.status.rawValue]
                }
                print(TextTable.render(header: ["ID", "NAME", "STATUS"], rows: rows))
            }
        }
    }
}
