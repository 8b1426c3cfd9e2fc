import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

extension APIKeyCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates an API key for a workspace and prints it once; only its hash is stored.",
            discussion: """
                Roles: viewer reads; member also changes leads and runs imports, enrichment, sync, sourcing, \
                scenario runs and enrolments; admin also manages connections, senders, sequences, scenarios \
                and jobs and deletes; owner is an admin that may also manage users and keys.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspaceOption: WorkspaceOption

        @Option(help: "A name to recognize the key by.")
        var name = "cli"

        @Option(help: "viewer, member, admin or owner.")
        var role = "admin"

        @Option(help: "Days until the key stops working (none: it does not expire).")
        var expiresInDays: Int?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role: expected viewer, member, admin or owner")
            }
            if let expiresInDays, !(1...3650).contains(expiresInDays) {
                throw ValidationError("--expires-in-days: expected 1 to 3650")
            }
        }

        func run() async throws {
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                let workspace = try await root.workspace(workspaceOption.workspace)
                let expires = expiresInDays.map { runtime.time.now().addingTimeInterval(Double($0) * 86400) }
                let key = try await root.stores.apiKeys.create(
                    workspace: workspace.id, name: name, role: Role(rawValue: role) ?? .admin, expiresAt: expires)
                print(key.secret)
            }
        }
    }
}
