import ArgumentParser

struct DedupeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Finds records that are the same person by probabilistic record linkage.",
        subcommands: [DedupeScanCommand.self, DedupeMergeCommand.self, DedupeDistinctCommand.self])
}
