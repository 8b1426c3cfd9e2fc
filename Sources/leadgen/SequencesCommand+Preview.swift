import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

extension SequencesCommand {
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints every step of a sequence as one lead would get it (JSON).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String
        @Option(help: "The lead's id.") var lead: String
        @Option(help: "The sender's name.") var senderName = "[sender name]"
        @Option(help: "The sender's e-mail.") var senderEmail = "[sender e-mail]"
        @Option(help: "The sender's postal address.") var senderAddress = "[sender postal address]"

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                guard let stored = try await root.stores.sequences.get(id, in: workspace.id),
                    let definition = try? SequenceDefinition(json: Data(stored.definition.utf8))
                else { throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)") }
                guard let found = try await root.stores.leads.get(LeadID(rawValue: lead), in: workspace.id) else {
                    throw CommandFailure("no lead \(lead) in workspace \(workspace.slug)")
                }
                let company = try await found.companyID.asyncFlatMap {
                    try await root.stores.companies.get($0, in: workspace.id)
                }
                let preview = SequencePreview(
                    definition, lead: found, company: company,
                    sender: Sender(name: senderName, email: senderEmail, physicalAddress: senderAddress))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(preview), as: UTF8.self))
            }
        }
    }
}
