import Hummingbird
import LeadgenCore
import Logging
import Storage

/// The context of a probe's request: the peer's address, nothing else.
public struct ProbeRequestContext: PeerAddressContext {
    public var coreContext: CoreRequestContextStorage
    public let clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// What `leadgen worker --health-port` serves: `/healthz`, `/readyz` and `/metrics`, for a container platform's
/// probes and a Prometheus scraper; nothing else, so a worker exposes no API.
public func buildProbeApplication(
    host: String, port: Int, database: LeadgenDatabase, metrics: [any MetricsSource], metricsToken: String?,
    logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: ProbeRequestContext.self)
    HealthController(database: database).register(on: router)
    MetricsController(token: metricsToken, sources: metrics).register(on: router)
    return Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Leadgen worker"),
        logger: logger)
}
