import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct UserRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Removes a user and ends their sessions; a workspace's last owner stays.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The user's e-mail address.")
    var email: String

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            let user = try await root.user(email: email)
            do {
                let removed = try await root.accounts.removeUser(user.id, from: user.workspaceID)
                print("removed \(removed.email)")
            } catch let problem as AccountService.Problem {
                throw CommandFailure(problem.description)
            }
        }
    }
}
