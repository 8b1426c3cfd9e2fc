import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct VerifyProbingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probing",
        abstract: "Turns the SMTP probe on or off for a workspace's addresses, or says whether it is on.",
        discussion: """
            The operator makes the probe available with LEADGEN_SMTP_PROBE=1 and its sender \
            (LEADGEN_SMTP_PROBE_FROM); it is then on for the default workspace, and for each other workspace \
            that turns it on here. Read the deliverability risks in docs/verification.md first.
            """)

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off, status }

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Argument(help: "on, off, or status.")
    var setting: Switch = .status

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard let workspace = try await root.stores.workspaces.find(slug: workspaceOption.workspace) else {
                throw CommandFailure("no workspace '\(workspaceOption.workspace)'")
            }
            if setting != .status {
                try await root.stores.workspaces.setProbesMailboxes(setting == .on, for: workspace.id)
            }
            let turnedOn = try await root.stores.workspaces.probesMailboxes(workspace.id)
            let chosen = turnedOn || workspace.slug == "default"
            let probes = try await root.probesMailboxes(of: workspace)
            let available = root.settings.smtpProbe != nil
            print(
                "workspace \(workspace.slug): the SMTP probe is \(probes ? "on" : "off")"
                    + (chosen && !available
                        ? " (turned on here, but the operator has not made it available: LEADGEN_SMTP_PROBE=1)" : ""))
        }
    }
}
