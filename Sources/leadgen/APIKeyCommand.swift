import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Creates, lists and revokes API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

}
