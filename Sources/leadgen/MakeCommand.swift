import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Storage

/// Scenarios kept on Make.com, next to those Leadgen runs itself.
struct MakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make", abstract: "Lists and runs scenarios kept on Make.com, and calls their webhooks.",
        discussion: """
            Uses the workspace's `make` connection or MAKE_API_TOKEN with MAKE_ZONE (eu1.make.com by default); \
            `leadgen serve --sandbox` and the sandbox answer for Make too.
            """,
        subcommands: [Scenarios.self, Run.self, CallHook.self])

    static func client(_ root: AppRoot, _ workspace: Workspace) async throws -> MakeClient {
        do { return try await root.registry.make(for: workspace.id) } catch let error
            as ProviderNotConfigured
        {
            throw CommandFailure("\(error)")
        }
    }

    static func json(_ text: String?, option: String) throws -> Data? {
        guard let text else { return nil }
        guard (try? JSON.parse(Data(text.utf8)))?.objectValue != nil else {
            throw ValidationError("\(option) is not a JSON object")
        }
        return Data(text.utf8)
    }

}
