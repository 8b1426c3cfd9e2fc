import App
import ArgumentParser
import Foundation
import Storage

extension SequencesCommand {
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Shows a sequence's enrolments by status and, per step and variant, what was sent and what came of it.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                guard try await root.stores.sequences.get(id, in: workspace.id) != nil else {
                    throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)")
                }
                let stats = try await root.stores.sequenceStats.stats(
                    sequence: id, in: workspace.id)
                print(
                    "enrolments: "
                        + Enrollment.Status.allCases.map { "\($0.rawValue) \(stats.enrollments[$0.rawValue] ?? 0)" }
                        .joined(separator: ", "))
                let rows = stats.steps.map { step in
                    [
                        step.stepID, step.variant ?? "", step.channel, String(step.sent), String(step.delivered),
                        String(step.opened), String(step.clicked), String(step.replied), String(step.bounced),
                        String(step.unsubscribed), String(step.spamReports), String(step.failed), String(step.unknown),
                    ]
                }
                print(
                    TextTable.render(
                        header: [
                            "STEP", "VARIANT", "CHANNEL", "SENT", "DELIVERED", "OPENED", "CLICKED", "REPLIED",
                            "BOUNCED",
                            "UNSUBSCRIBED", "SPAM", "FAILED", "UNKNOWN",
                        ], rows: rows))
            }
        }
    }
}
