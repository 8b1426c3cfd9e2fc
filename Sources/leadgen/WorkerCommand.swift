import App
import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Runs queued jobs (imports, enrichment, sourcing, CRM sync) without serving HTTP; stops gracefully on SIGTERM or SIGINT.",
        discussion: "Run several, on several machines, against one PostgreSQL: they share the work.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Overrides LEADGEN_WORKERS: jobs run at once in this process.")
    var workers: String?

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["LEADGEN_WORKERS"] = workers
        let runtime = try await Runtime.start(options, extra: overrides)
        try await runtime.run {
            let root = runtime.root(workers: max(1, runtime.config.workers))
            try await root.prepareSchedules()
            runtime.logger.info("Leadgen worker is running", metadata: ["database": "\(runtime.config.databaseURL)"])
            let group = ServiceGroup(
                configuration: .init(
                    services: root.jobServices, gracefulShutdownSignals: [.sigterm, .sigint], logger: runtime.logger
                ))
            try await group.run()
        }
    }
}
