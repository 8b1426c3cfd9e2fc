import ArgumentParser
import Foundation
import Hummingbird
import Sandbox
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

    @Flag(
        help:
            "Serves fakes of Apollo, HubSpot, Slack, Make, SendGrid, Mailgun and Twilio under /sandbox and points every workspace at them, to try sourcing, enrichment, sync and outreach without keys."
    )
    var sandbox = false

    /// The in-process sandbox keeps the vendors' rate-limit behaviour (headers, 429s) with limits ten times
    /// the documented ones, so a first try with a few hundred leads does not wait on Apollo's 20 bulk calls
    /// a minute.
    static var sandboxOptions: SandboxOptions {
        var options = SandboxOptions()
        options.rateLimitScale = 10
        return options
    }

    func run() async throws {
        var overrides: [String: String] = [:]
        overrides["LEADGEN_HOST"] = host
        overrides["LEADGEN_PORT"] = port
        overrides["LEADGEN_WORKERS"] = noWorkers ? "0" : workers
        let runtime = try await Runtime.start(options, extra: overrides)
        try await runtime.run {
            let loopback =
                ["0.0.0.0", "::", "localhost"].contains(runtime.config.host) ? "127.0.0.1" : runtime.config.host
            // The messaging fakes post their signed events to this server's webhooks.
            var sandboxOptions = Self.sandboxOptions
            sandboxOptions.callbackBaseURL =
                runtime.config.publicURL ?? URL(string: "http://\(loopback):\(runtime.config.port)")
            let services = runtime.services(
                sandbox: sandbox ? Sandbox(options: sandboxOptions, now: runtime.time.now) : nil,
                sandboxRoot: URL(string: "http://\(loopback):\(runtime.config.port)/sandbox"))
            if runtime.config.workers > 0 { try await services.prepareSchedules() }
            if sandbox {
                runtime.logger.notice(
                    "Sandbox mode: the vendors are fakes served under /sandbox; nothing leaves this machine")
            }
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
