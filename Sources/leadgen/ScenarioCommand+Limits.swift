import App
import ArgumentParser
import Automation
import Foundation
import Pipeline
import Storage

extension ScenarioCommand {
    /// `leadgen scenario limits`: shows or sets how much one run of the workspace's scenarios may do.
    struct Limits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shows or sets the workspace's limits for one scenario run.",
            discussion: """
                A run past its limit stops with an error that names it. Defaults: \
                \(RunLimits.defaults.operations) operations, \(RunLimits.defaults.seconds) seconds, \
                \(RunLimits.defaults.bytes / 1024 / 1024) MiB of bundles; at most \
                \(RunLimits.ceilings.operations) operations, \(RunLimits.ceilings.seconds) seconds, \
                \(RunLimits.ceilings.bytes / 1024 / 1024) MiB.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        @Option(help: "Operations (module executions) one run may take.")
        var operations: Int?

        @Option(help: "Seconds one run may take.")
        var seconds: Int?

        @Option(help: "Mebibytes of bundles one run may produce and keep.")
        var megabytes: Int?

        @Flag(help: "Back to the defaults.")
        var reset = false

        func validate() throws {
            let ceilings = RunLimits.ceilings
            if let operations, !(1...ceilings.operations).contains(operations) {
                throw ValidationError("--operations: expected 1 to \(ceilings.operations)")
            }
            if let seconds, !(1...ceilings.seconds).contains(seconds) {
                throw ValidationError("--seconds: expected 1 to \(ceilings.seconds)")
            }
            if let megabytes, !(1...ceilings.bytes / 1024 / 1024).contains(megabytes) {
                throw ValidationError("--megabytes: expected 1 to \(ceilings.bytes / 1024 / 1024)")
            }
            if reset, operations != nil || seconds != nil || megabytes != nil {
                throw ValidationError("--reset goes alone")
            }
        }

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let store = root.scenarios.limits
                var setting = reset ? ScenarioLimitsSetting() : try await store.get(workspace.id)
                if let operations { setting.operations = operations }
                if let seconds { setting.seconds = seconds }
                if let megabytes { setting.bytes = megabytes * 1024 * 1024 }
                if reset || operations != nil || seconds != nil || megabytes != nil {
                    _ = try await store.set(setting, for: workspace.id)
                }
                let limits = RunLimits(setting)
                print(
                    "operations: \(limits.operations), seconds: \(limits.seconds), "
                        + "megabytes: \(limits.bytes / 1024 / 1024)")
            }
        }
    }
}
