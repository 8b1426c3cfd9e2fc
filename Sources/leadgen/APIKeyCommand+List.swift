import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

extension APIKeyCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists a workspace's API keys, one a line, id first; never their secrets.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspaceOption: WorkspaceOption

        func run() async throws {
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                let workspace = try await root.workspace(workspaceOption.workspace)
                let keys = try await root.stores.apiKeys.list(in: workspace.id)
                func day(_ date: Date?) -> String { date.map { String($0.formatted(.iso8601).prefix(10)) } ?? "-" }
                for key in keys {
                    let state = key.revokedAt != nil ? "revoked" : "active"
                    print(
                        "\(key.id)  \(key.prefix)…  \(key.role.rawValue)  \(state)  name=\(key.name)  "
                            + "created=\(day(key.createdAt))  expires=\(day(key.expiresAt))  "
                            + "last_used=\(day(key.lastUsedAt))")
                }
            }
        }
    }
}
