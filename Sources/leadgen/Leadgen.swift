import ArgumentParser

@main
struct Leadgen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadgen",
        abstract: "Self-hosted lead generation: source, clean, enrich, sync and reach out to leads.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, JobsCommand.self, LeadsCommand.self,
            SourceCommand.self, EnrichCommand.self, SyncCommand.self, SandboxCommand.self, ExprCommand.self,
            ScenarioCommand.self, MakeCommand.self, SequencesCommand.self, SendersCommand.self,
            APIKeyCommand.self, DedupeCommand.self, VerifyCommand.self,
            UserCommand.self, HealthCommand.self, BackupCommand.self, RestoreCommand.self, DoctorCommand.self,
        ]
    )
}
