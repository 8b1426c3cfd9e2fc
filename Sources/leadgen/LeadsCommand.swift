import ArgumentParser

struct LeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads",
        abstract: "Imports, exports, lists and unmerges leads.",
        subcommands: [
            LeadsImportCommand.self, LeadsExportCommand.self, LeadsListCommand.self, LeadsUnmergeCommand.self,
        ])
}

/// `--workspace`, shared by the commands that act on one workspace.
struct WorkspaceOption: ParsableArguments {
    @Option(help: "The workspace (its slug); created when missing.")
    var workspace: String = "default"
}
