import App
import ArgumentParser
import Foundation
import Storage

extension SendersCommand {
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
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let saved = try await root.stores.senders
                    .save(sender, in: workspace.id)
                print("sender \(saved.id): \(saved.channel.rawValue) \(saved.address) via \(saved.provider)")
            }
        }
    }
}
