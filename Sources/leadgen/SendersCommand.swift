import App
import ArgumentParser
import Foundation
import Storage

/// The mailboxes and numbers that send a workspace's sequences.
struct SendersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senders", abstract: "Adds and lists the mailboxes and numbers sequences send from.",
        subcommands: [Add.self, List.self])

}
