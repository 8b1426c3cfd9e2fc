import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

extension APIKeyCommand {
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revokes an API key at once.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The key's id, as `apikey list` shows it.")
        var id: String

        func run() async throws {
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                guard
                    try await root.stores.apiKeys.revoke(id)
                else { throw CommandFailure("no active API key \(id)") }
                print("revoked \(id)")
            }
        }
    }
}
