import ArgumentParser

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verifies leads' data.",
        subcommands: [VerifyEmailsCommand.self, VerifyProbingCommand.self])
}
