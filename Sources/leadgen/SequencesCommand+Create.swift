import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

extension SequencesCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reads a sequence definition (JSON) and stores it; every problem is named by its path.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The definition file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("cannot read \(file)")
            }
            let definition: SequenceDefinition
            do { definition = try SequenceDefinition(json: data) } catch {
                throw CommandFailure(
                    "\(file):\n"
                        + error.problems.map { "  \($0.path.isEmpty ? "(top)" : $0.path): \($0.message)" }
                        .joined(separator: "\n"))
            }
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let stored = try await root.stores.sequences.create(
                    name: definition.name, definition: String(decoding: data, as: UTF8.self), in: workspace.id)
                print("sequence \(stored.id): \(stored.name), \(definition.steps.count) steps")
            }
        }
    }
}
