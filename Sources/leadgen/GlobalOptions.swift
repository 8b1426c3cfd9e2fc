import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import ServiceLifecycle
import Storage
import Telemetry
import UnixSignals

/// Options every command takes; each overrides the setting of the same name in the environment or `.env`.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "Overrides DATABASE_URL (sqlite:PATH or postgres://…).")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "Overrides LEADGEN_LOG_LEVEL (trace … critical).")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "Overrides LEADGEN_LOG_FORMAT (text or json).")
    var logFormat: String?

    var overrides: [String: String] {
        var values: [String: String] = [:]
        values["DATABASE_URL"] = databaseURL
        values["LEADGEN_LOG_LEVEL"] = logLevel
        values["LEADGEN_LOG_FORMAT"] = logFormat
        return values
    }
}

/// What a command needs at start: the settings, a logger, the migrated database, and the process's clock and
/// id source (the one place that reads the wall clock; everything below takes them from here).
struct Runtime {
    let config: LeadgenConfig
    let logger: Logger
    let database: LeadgenDatabase
    /// Exports the process's spans when `OTEL_EXPORTER_OTLP_ENDPOINT` is set and the command asked for tracing.
    var tracing: OTLPTracing?
    let time = TimeSource.system
    let ids = IDGenerator.uuidV7

    /// Loads the settings, sets up logging and opens the database, applying pending migrations (unless told not
    /// to: a backup copies the database as it is). Long-running commands (`serve`, `worker`) ask for `tracing`:
    /// their spans are exported by a service of their service group.
    /// A bad setting or an unreachable database ends the command with one clear line.
    static func start(
        _ options: GlobalOptions, extra overrides: [String: String] = [:], defaultLogLevel: Logger.Level? = nil,
        migrating: Bool = true, tracing wantsTracing: Bool = false
    )
        async throws -> Runtime
    {
        let config: LeadgenConfig
        do {
            config = try await LeadgenConfig.load(overrides: options.overrides.merging(overrides) { $1 })
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
        let level =
            options.logLevel == nil && ProcessInfo.processInfo.environment["LEADGEN_LOG_LEVEL"] == nil
            ? defaultLogLevel ?? config.logLevel : config.logLevel
        let traced = wantsTracing && config.tracing.spanURL != nil
        LoggingSetup.bootstrap(
            level: level, format: config.logFormat, time: .system, metadata: traced ? OTLPTracing.logMetadata : nil)
        let logger = Logger(label: "leadgen")
        var tracing: OTLPTracing?
        if traced {
            do {
                tracing = try OTLPTracing.bootstrap(config.tracing, logger: logger)
            } catch {
                throw CommandFailure("cannot set up tracing: \(String(reflecting: error))")
            }
        }
        let database: LeadgenDatabase
        do {
            database = try await LeadgenDatabase.open(config.databaseURL, logger: logger)
        } catch {
            throw CommandFailure("cannot open the database \(config.databaseURL): \(String(reflecting: error))")
        }
        do {
            if migrating { try await Migrator(database: database, time: .system, logger: logger).migrate() }
        } catch let mismatch as MigrationChecksumMismatch {
            try? await database.close()
            throw CommandFailure(mismatch.description)
        } catch {
            try? await database.close()
            throw error
        }
        return Runtime(config: config, logger: logger, database: database, tracing: tracing)
    }

    /// The services of a long-running command (`serve`, `worker`), stopped gracefully by SIGTERM or SIGINT: what
    /// is in flight gets `LEADGEN_SHUTDOWN_TIMEOUT` to finish, then is cancelled, and a process whose
    /// cancellation hangs ends after ten seconds more (a job it held runs again once its lease runs out).
    /// The span exporter comes first, so it stops last and sends the spans of what stopped before it.
    func serviceGroup(_ services: [any Service]) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: (tracing.map { [$0.exporter] } ?? []) + services, gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(config.shutdownTimeout)
        configuration.maximumCancellationDuration = .seconds(10)
        return ServiceGroup(configuration: configuration)
    }

    /// Runs `body`, closing the database afterwards whatever happens.
    func run<R>(_ body: () async throws -> R) async throws -> R {
        do {
            let result = try await body()
            try await database.close()
            return result
        } catch {
            try? await database.close()
            throw error
        }
    }
}

/// A failure the user can act on: printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
