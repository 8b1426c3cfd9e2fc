import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

/// Outreach sequences: store definitions, list them, enrol leads, pause and resume them, preview them for a
/// lead, and show their statistics. A worker (`leadgen worker`, or `leadgen serve`) sends them.
struct SequencesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sequences",
        abstract: "Stores, lists, enrols leads in, pauses, resumes, previews and reports on outreach sequences.",
        subcommands: [Create.self, List.self, Enroll.self, Pause.self, Resume.self, Stats.self, Preview.self])

    static func setStatus(
        _ status: StoredSequence.Status, _ id: String, _ options: GlobalOptions, _ workspace: WorkspaceOption
    ) async throws {
        try await Runtime.withRoot(options, workspace) { root, workspace in
            guard try await root.stores.sequences.setStatus(id, status, in: workspace.id) != nil else {
                throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)")
            }
            print("sequence \(id) \(status == .paused ? "paused" : "resumed")")
        }
    }

}
