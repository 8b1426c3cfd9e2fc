import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct UserRoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "Gives a user another role; it holds from their next request.",
        discussion: "A workspace keeps at least one owner: make someone else an owner before the last one steps down.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The user's e-mail address.")
    var email: String

    @Argument(help: "viewer, member, admin or owner.")
    var role: String

    func validate() throws {
        guard Role(rawValue: role) != nil else {
            throw ValidationError("role: expected viewer, member, admin or owner")
        }
    }

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            let user = try await root.user(email: email)
            do {
                let changed = try await root.accounts.setRole(
                    of: user.id, to: Role(rawValue: role) ?? user.role, in: user.workspaceID)
                print("\(changed.email) is now \(changed.role.rawValue)")
            } catch let problem as AccountService.Problem {
                throw CommandFailure(problem.description)
            }
        }
    }
}
