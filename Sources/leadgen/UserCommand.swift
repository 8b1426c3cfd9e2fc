import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manages dashboard users.",
        subcommands: [Create.self, UserListCommand.self, UserRoleCommand.self, UserRemoveCommand.self])

}

extension AppRoot {
    /// The user with this e-mail, or a failure naming it.
    func user(email: String) async throws -> User {
        guard let user = try await accounts.user(email: email) else { throw CommandFailure("no user \(email)") }
        return user
    }
}
