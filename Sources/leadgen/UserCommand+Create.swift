import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

extension UserCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a dashboard user; the first user of an install is its owner, whatever --role says.",
            discussion: "The password is read from standard input (one line), so it stays out of shell history.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspaceOption: WorkspaceOption

        @Option(help: "The user's e-mail address, used to log in.")
        var email: String

        @Option(help: "The user's name.")
        var name: String?

        @Option(help: "viewer, member, admin or owner (see `leadgen apikey create --help`).")
        var role = "member"

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role: expected viewer, member, admin or owner")
            }
        }

        func run() async throws {
            FileHandle.standardError.write(Data("password: ".utf8))
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("a password is required on standard input")
            }
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                do {
                    let user = try await root.accounts.createUser(
                        email: email, password: password, name: name, workspaceSlug: workspaceOption.workspace,
                        role: Role(rawValue: role) ?? .member)
                    print("created \(user.role.rawValue) \(user.email)")
                } catch let problem as AccountService.Problem {
                    throw CommandFailure(problem.description)
                }
            }
        }
    }
}
