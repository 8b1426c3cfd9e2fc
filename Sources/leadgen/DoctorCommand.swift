import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Storage

/// Checks an installation from the inside: its settings, its database and migrations, and each configured
/// vendor's credentials, one line each. It applies no migration and sends nothing.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Checks the configuration, the database, its migrations and each configured vendor's credentials.",
        discussion: "Exit status 1 when a check fails; warnings do not fail. No migration is applied, nothing is sent."
    )

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        var report = DoctorReport()
        let config: LeadgenConfig
        do {
            config = try await LeadgenConfig.load(overrides: options.overrides)
            report.ok("configuration", "read from the environment and .env; database \(config.databaseURL)")
        } catch let error as ConfigError {
            report.fail("configuration", error.description)
            report.print()
            throw ExitCode(1)
        }
        settingsWarnings(config, into: &report)

        let runtime: Runtime
        do {
            runtime = try await Runtime.start(options, defaultLogLevel: .error, migrating: false)
        } catch {
            report.fail("database", "\(error)")
            report.print()
            throw ExitCode(1)
        }
        try await runtime.run {
            report.ok(
                "database", "\(runtime.config.databaseURL) answers (\(try await runtime.database.engineVersion()))")
            let status = try await Migrator(database: runtime.database, time: runtime.time, logger: runtime.logger)
                .status()
            migrations(status, into: &report)
            let root = runtime.root(workers: 0)
            await providers(runtime.config.providers, transport: root.registry.transport, into: &report)
        }
        report.print()
        if report.failed { throw ExitCode(1) }
    }

    private func settingsWarnings(_ config: LeadgenConfig, into report: inout DoctorReport) {
        if config.masterKey == nil {
            report.warn("LEADGEN_MASTER_KEY", "not set: workspaces cannot store their own vendor credentials")
        }
        let sendsEmail = config.providers.sendgridAPIKey != nil || config.providers.mailgunAPIKey != nil
        if sendsEmail && config.publicURL == nil {
            report.warn("LEADGEN_PUBLIC_URL", "not set: e-mail sequences need it for their unsubscribe links")
        }
        if config.metricsToken == nil && !["127.0.0.1", "::1", "localhost"].contains(config.host) {
            report.warn(
                "LEADGEN_METRICS_TOKEN", "not set: /metrics answers loopback only, so a scraper elsewhere gets 403")
        }
    }

    private func migrations(_ status: MigrationStatus, into report: inout DoctorReport) {
        if !status.unknown.isEmpty {
            report.fail(
                "migrations",
                "applied by a newer Leadgen: \(status.unknown.joined(separator: ", ")); run that version or newer")
        } else if !status.differing.isEmpty {
            report.fail(
                "migrations",
                "\(status.differing.joined(separator: ", ")) differ from this version's: not this Leadgen's schema")
        } else if !status.pending.isEmpty {
            report.warn(
                "migrations",
                "\(status.applied.count) applied, \(status.pending.count) pending (\(status.pending.first ?? "")…): `leadgen migrate` or the next start applies them"
            )
        } else {
            report.ok("migrations", "all \(status.applied.count) applied")
        }
    }
}

/// The lines `leadgen doctor` prints: ok, warn or FAIL, what was checked, what was found.
struct DoctorReport {
    private(set) var lines: [String] = []
    private(set) var failed = false

    mutating func ok(_ subject: String, _ detail: String) { lines.append("ok    \(subject): \(detail)") }
    mutating func warn(_ subject: String, _ detail: String) { lines.append("warn  \(subject): \(detail)") }
    mutating func fail(_ subject: String, _ detail: String) {
        failed = true
        lines.append("FAIL  \(subject): \(detail)")
    }

    func print() { Swift.print(lines.joined(separator: "\n")) }
}
