import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Runs Make.com scenario blueprints natively.",
        subcommands: [
            Import.self, List.self, Show.self, Enable.self, Disable.self, Run.self, Runs.self, RunShow.self, Check.self,
            Incomplete.self, Retry.self, Limits.self,
        ])

    static func load(_ file: String) throws -> Blueprint {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("cannot read \(file)")
        }
        do { return try Blueprint(data: data) } catch { throw CommandFailure("\(file): \(error)") }
    }
}

extension ScenarioCommand {
    static func stored(_ root: AppRoot, _ id: String, _ workspace: Workspace) async throws -> StoredScenario {
        guard let scenario = try await root.scenarios.store.get(id, in: workspace.id) else {
            throw CommandFailure("no scenario \(id) in workspace \(workspace.slug)")
        }
        return scenario
    }
}
