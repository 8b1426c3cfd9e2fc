import App
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Providers
import Storage

struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Finds new leads at a provider.", subcommands: [Apollo.self])

}

extension Array {
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
