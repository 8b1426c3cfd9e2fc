import ArgumentParser
import Storage

struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manages API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates an API key for a workspace and prints it once; only its hash is stored.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspaceOption: WorkspaceOption

        @Option(help: "A name to recognize the key by.")
        var name = "cli"

        func run() async throws {
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let workspace = try await WorkspaceStore(
                    database: runtime.database, ids: runtime.ids, time: runtime.time
                ).findOrCreate(
                    slug: workspaceOption.workspace)
                let key = try await APIKeyStore(database: runtime.database, ids: runtime.ids, time: runtime.time)
                    .create(workspace: workspace.id, name: name)
                print(key.secret)
            }
        }
    }
}
