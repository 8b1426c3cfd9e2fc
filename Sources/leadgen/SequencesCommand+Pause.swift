import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

extension SequencesCommand {
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pauses a sequence.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String

        func run() async throws { try await SequencesCommand.setStatus(.paused, id, options, workspace) }
    }
}
