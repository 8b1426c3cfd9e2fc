import App
import ArgumentParser
import Foundation
import Storage

/// The mailboxes and numbers that send a workspace's sequences.
struct SendersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senders", abstract: "Adds and lists the mailboxes and numbers sequences send from.",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adds a sender, or updates the one with the same channel and address.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: "email or sms.") var channel: String = "email"
        @Option(help: "sendgrid or mailgun for e-mail, twilio for SMS.") var provider: String?
        @Option(help: "The From: an e-mail address or an E.164 number.") var address: String
        @Option(help: "The name recipients see.") var name: String = ""
        @Option(help: "The postal address every e-mail carries (required for e-mail).") var physicalAddress: String?
        @Option(help: "At most this many messages in any 24 hours.") var dailyLimit: Int?
        @Option(help: "At most this many messages in any hour.") var hourlyLimit: Int?
        @Option(help: "At least this many seconds between two messages.") var minIntervalSeconds = 0
        @Option(help: "Up to this many seconds more, at random.") var jitterSeconds = 0

        func run() async throws {
            guard let channel = OutreachSender.Channel(rawValue: channel) else {
                throw ValidationError("--channel: expected email or sms")
            }
            let sender = OutreachSender(
                channel: channel, provider: provider ?? (channel == .sms ? "twilio" : "sendgrid"), address: address,
                name: name, physicalAddress: physicalAddress, dailyLimit: dailyLimit, hourlyLimit: hourlyLimit,
                minIntervalSeconds: minIntervalSeconds, jitterSeconds: jitterSeconds)
            let problems = sender.problems
            guard problems.isEmpty else {
                throw CommandFailure(
                    problems.map { "--\($0.field.replacingOccurrences(of: "_", with: "-")): \($0.message)" }.joined(
                        separator: "\n"))
            }
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let saved = try await root.stores.senders
                    .save(sender, in: workspace.id)
                print("sender \(saved.id): \(saved.channel.rawValue) \(saved.address) via \(saved.provider)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the workspace's senders.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let rows = try await root.stores.senders
                    .list(in: workspace.id).map {
                        [
                            $0.id, $0.channel.rawValue, $0.provider, $0.address, $0.name,
                            $0.hourlyLimit.map(String.init) ?? "-",
                            $0.dailyLimit.map(String.init) ?? "-", $0.status.rawValue,
                        ]
                    }
                print(
                    TextTable.render(
                        header: ["ID", "CHANNEL", "PROVIDER", "ADDRESS", "NAME", "PER HOUR", "PER DAY", "STATUS"],
                        rows: rows))
            }
        }
    }
}
