import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

extension SequencesCommand {
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resumes a sequence.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String

        func run() async throws { try await SequencesCommand.setStatus(.active, id, options, workspace) }
    }
}
