import ArgumentParser
import Hummingbird
import WebApp

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Runs the API and the dashboard; stops gracefully on SIGTERM or SIGINT.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Overrides LEADGEN_HOST.")
    var host: String?

    @Option(help: "Overrides LEADGEN_PORT.")
    var port: String?

    @Option(help: "Overrides LEADGEN_WORKERS: jobs run at once in this process.")
    var workers: String?

    @Flag(help: "Runs no jobs in this process; leave them to `leadgen worker` processes.")
    var noWorkers = false

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["LEADGEN_HOST"] = host
        overrides["LEADGEN_PORT"] = port
        overrides["LEADGEN_WORKERS"] = noWorkers ? "0" : workers
        let runtime = try await Runtime.start(options, extra: overrides)
        try await runtime.run {
            let services = AppServices(
                database: runtime.database, logger: runtime.logger, maxBodySize: runtime.config.maxBodySize,
                workers: runtime.config.workers, postgresURL: runtime.config.databaseURL.postgresURL)
            let app = try await buildApplication(config: runtime.config, services: services)
            runtime.logger.info(
                "Leadgen is listening",
                metadata: [
                    "url": "http://\(runtime.config.host):\(runtime.config.port)",
                    "database": "\(runtime.config.databaseURL)",
                ])
            try await app.runService()
        }
    }
}
