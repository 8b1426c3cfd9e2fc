import App
import ArgumentParser
import Logging
import Probes
import ServiceLifecycle

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Runs queued jobs (imports, enrichment, sourcing, CRM sync) without serving HTTP; stops gracefully on SIGTERM or SIGINT.",
        discussion: "Run several, on several machines, against one PostgreSQL: they share the work.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Overrides LEADGEN_WORKERS: jobs run at once in this process.")
    var workers: String?

    @Option(
        help:
            "Serves /healthz, /readyz and /metrics on this port (at LEADGEN_HOST), for a container platform's probes and a scraper."
    )
    var healthPort: Int?

    func validate() throws {
        if let healthPort, !(1...65535).contains(healthPort) {
            throw ValidationError("--health-port: expected a port number from 1 to 65535")
        }
    }

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["LEADGEN_WORKERS"] = workers
        let runtime = try await Runtime.start(options, extra: overrides, tracing: true)
        try await runtime.run {
            let root = runtime.root(workers: max(1, runtime.config.workers))
            try await root.prepareSchedules()
            runtime.logger.info("Leadgen worker is running", metadata: ["database": "\(runtime.config.databaseURL)"])
            var services = root.jobServices
            if let healthPort {
                services.append(
                    buildProbeApplication(
                        host: runtime.config.host, port: healthPort, database: runtime.database,
                        metrics: root.metricsSources, metricsToken: runtime.config.metricsToken,
                        logger: runtime.logger))
            }
            try await runtime.serviceGroup(services).run()
        }
    }
}
