import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Lists a workspace's users, one a line: id, e-mail, role and name.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            let workspace = try await root.workspace(workspaceOption.workspace)
            for user in try await root.accounts.team(of: workspace.id) {
                print("\(user.id)  \(user.email)  \(user.role.rawValue)  \(user.name ?? "")")
            }
        }
    }
}
