import App
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Storage

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Sends leads to a CRM.", subcommands: [HubSpot.self])

}
