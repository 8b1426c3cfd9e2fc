import App
import ArgumentParser
import Foundation
import Hummingbird
import LeadgenCore
import Logging
import Sandbox
import ServiceLifecycle
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
        let runtime = try await Runtime.start(options, extra: overrides, tracing: true)
        try await runtime.run {
            let loopback =
                ["0.0.0.0", "::", "localhost"].contains(runtime.config.host) ? "127.0.0.1" : runtime.config.host
            // The messaging fakes post their signed events to this server's webhooks.
            var sandboxOptions = Self.sandboxOptions
            sandboxOptions.callbackBaseURL =
                runtime.config.publicURL ?? URL(string: "http://\(loopback):\(runtime.config.port)")
            let sandboxRoot = URL(string: "http://\(loopback):\(runtime.config.port)/sandbox")
            let fakes = sandbox ? Sandbox(options: sandboxOptions, now: runtime.time.now) : nil
            let root = runtime.root(
                sandbox: fakes.flatMap { fakes in
                    sandboxRoot.map {
                        LeadgenConfig.SandboxSite(root: $0, sendgridWebhookPublicKey: fakes.sendgridWebhookPublicKey)
                    }
                })
            if root.runsJobs { try await root.prepareSchedules() }
            if sandbox {
                runtime.logger.notice(
                    "Sandbox mode: the vendors are fakes served under /sandbox; nothing leaves this machine")
            }
            var web = WebSettings(maxBodySize: runtime.config.maxBodySize)
            web.hooksURL = runtime.config.hooksURL
            web.metricsToken = runtime.config.metricsToken
            web.trustedProxies = runtime.config.trustedProxies
            web.extensionIDs = runtime.config.extensionIDs
            web.sandbox = fakes
            let app = try await buildApplication(config: runtime.config, root: root, web: web)
            runtime.logger.info(
                "Leadgen is listening",
                metadata: [
                    "url": "http://\(runtime.config.host):\(runtime.config.port)",
                    "database": "\(runtime.config.databaseURL)",
                ])
            try await runtime.serviceGroup([app]).run()
        }
    }
}
