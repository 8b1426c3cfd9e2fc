import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry tracing for one process: spans for requests, jobs and provider calls, exported over OTLP/HTTP.
///
/// Tracing is on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, in the
/// environment or `.env`, unless `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Off, nothing is
/// recorded and nothing is sent. The other `OTEL_*` variables of the OpenTelemetry specification (protocol,
/// headers, sampler, batch sizes, resource attributes) are read from the process environment.
public struct OTLPTracing: Sendable {
    /// The settings that switch tracing on and say where spans go.
    public struct Settings: Sendable, Equatable {
        /// `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's base URL; spans go to its `/v1/traces`.
        public var endpoint: String?
        /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: the full URL spans go to, used as it is.
        public var tracesEndpoint: String?
        /// `OTEL_SERVICE_NAME`: how the process is named in the traces (default `leadgen`).
        public var serviceName: String?
        /// `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`.
        public var disabled: Bool

        public init(
            endpoint: String? = nil, tracesEndpoint: String? = nil, serviceName: String? = nil, disabled: Bool = false
        ) {
            self.endpoint = endpoint
            self.tracesEndpoint = tracesEndpoint
            self.serviceName = serviceName
            self.disabled = disabled
        }

        /// Reads the settings through `value`, which looks a name up in flags, environment and `.env`.
        public init(_ value: (String) -> String?) {
            func nonEmpty(_ name: String) -> String? { value(name).flatMap { $0.isEmpty ? nil : $0 } }
            endpoint = nonEmpty("OTEL_EXPORTER_OTLP_ENDPOINT")
            tracesEndpoint = nonEmpty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            serviceName = nonEmpty("OTEL_SERVICE_NAME")
            disabled =
                nonEmpty("OTEL_SDK_DISABLED")?.lowercased() == "true"
                || nonEmpty("OTEL_TRACES_EXPORTER")?.lowercased() == "none"
        }

        /// Where spans are sent, or nil when tracing is off.
        public var spanURL: String? {
            guard !disabled else { return nil }
            if let tracesEndpoint { return tracesEndpoint }
            guard let endpoint else { return nil }
            return endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces"
        }
    }

    /// The service that batches and exports spans; run it in the process's service group, listed before the
    /// services it traces so that it stops after them and sends their last spans.
    public let exporter: any Service

    /// Sets up tracing for the process, or returns nil when the settings leave it off. Call once per process.
    public static func bootstrap(_ settings: Settings, logger: Logger) throws -> OTLPTracing? {
        guard let url = settings.spanURL else { return nil }
        clearEmptyVariables()
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName ?? "leadgen"
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.otlpExporter.endpoint = url
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return OTLPTracing(exporter: backend.service)
    }

    /// The OpenTelemetry specification reads an empty variable as an unset one, and `.env.example` lists them
    /// empty; swift-otel, which reads the process environment itself, would take an empty service name or
    /// endpoint as given. So empty `OTEL_*` variables are removed from the environment before it reads it.
    static func clearEmptyVariables() {
        for (name, value) in ProcessInfo.processInfo.environment where name.hasPrefix("OTEL_") && value.isEmpty {
            unsetenv(name)
        }
    }

    /// Adds the current trace and span ids to every log line written inside a span (`trace_id`, `span_id`).
    public static var logMetadata: Logger.MetadataProvider { OTel.makeLoggingMetadataProvider() }
}
