import Foundation
import Hummingbird
import Logging
import Outreach
import Pipeline
import Storage

/// The application `leadgen serve` runs and the tests exercise: only the configuration differs.
public func buildApplication(config: LeadgenConfig, services: AppServices) async throws -> some ApplicationProtocol {
    Application(
        router: try await buildRouter(services),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Leadgen"),
        services: config.workers > 0 ? services.jobServices : [],
        logger: services.logger)
}

/// Every route: health checks, the API under `/api/v1`, and the dashboard.
public func buildRouter(_ services: AppServices) async throws -> Router<AppRequestContext> {
    let templates = try await Templates.load()
    let users = UserStore(database: services.database, ids: services.ids, time: services.time)
    let router = Router(context: AppRequestContext.self)
    let routeMethods = RouteMethods()
    router.addMiddleware {
        ForwardedHeadersMiddleware(trusted: ForwardedHeadersMiddleware.loopback + services.trustedProxies)
        RequestLogMiddleware(.info)
        SecurityHeadersMiddleware()
        APIProblemMiddleware()
        DashboardErrorMiddleware(templates: templates, users: users)
        SessionMiddleware(sessions: services.sessions)
        MethodNotAllowedMiddleware(routes: routeMethods)
    }
    HealthController(database: services.database).register(on: router)
    MetricsController(token: services.metricsToken, metrics: services.providerMetrics).register(on: router)
    ApolloWebhookController(
        webhooks: services.pipeline.webhooks, leads: services.leads, ingestor: services.ingestor,
        phoneReveals: services.pipeline.phoneReveals, maxBody: 5_000_000
    ).register(on: router)
    HubSpotWebhookController(
        secret: services.pipeline.registry.settings.hubspotWebhookSecret, publicURL: services.publicURL,
        webhooks: services.pipeline.webhooks, syncStore: services.pipeline.syncStore, leads: services.leads,
        registry: services.pipeline.registry, maxBody: 5_000_000, now: services.time.now
    ).register(on: router)
    MessagingWebhooksController(
        sendgridKey: services.pipeline.registry.settings.sendgridWebhookPublicKey,
        sendgridInboundToken: services.pipeline.registry.settings.sendgridInboundParseToken,
        mailgunKey: services.pipeline.registry.settings.mailgunWebhookSigningKey,
        twilioToken: services.pipeline.registry.settings.twilioAuthToken, publicURL: services.publicURL,
        events: MessageEventStore(database: services.database, ids: services.ids, time: services.time),
        suppressions: SuppressionStore(database: services.database, ids: services.ids, time: services.time),
        webhooks: services.pipeline.webhooks,
        workspaces: WorkspaceStore(database: services.database, ids: services.ids, time: services.time),
        engagement: EngagementRecorder(database: services.database, ids: services.ids, time: services.time),
        maxBody: 5_000_000, now: services.time.now
    ).register(on: router)
    UnsubscribeController(
        keyData: services.masterKey.map { UnsubscribeToken.key(masterKey: $0).withUnsafeBytes { Data($0) } },
        suppressions: SuppressionStore(database: services.database, ids: services.ids, time: services.time),
        workspaces: WorkspaceStore(database: services.database, ids: services.ids, time: services.time),
        engagement: EngagementRecorder(database: services.database, ids: services.ids, time: services.time),
        templates: templates, now: services.time.now
    ).register(on: router)
    ScenarioHooksController(
        scenarios: services.pipeline.scenarios, maxBody: 5 * 1024 * 1024, responseTimeout: .seconds(40),
        runsInline: services.runsJobs
    ).register(on: router)
    services.sandbox?.addRoutes(to: router, prefix: "/sandbox")
    try StaticFiles.load().register(on: router)
    AuthPages(
        templates: templates, accounts: services.accounts, users: users, sessions: services.sessions,
        throttle: LoginThrottleStore(database: services.database, time: services.time)
    )
    .register(on: router)
    let dashboard = router.group(context: DashboardContext.self).add(middleware: DashboardRoleMiddleware())
    LeadsPages(
        templates: templates, leads: services.leads, companies: services.companies,
        phoneReveals: services.pipeline.phoneReveals
    ).register(on: dashboard)
    ImportPages(
        templates: templates, submitter: services.importSubmitter, imports: services.imports, uploads: services.uploads
    )
    .register(on: dashboard)
    PipelinePages(templates: templates, pipeline: services.pipeline, jobs: services.jobs, now: services.time.now)
        .register(on: dashboard)
    SequencePages(
        templates: templates,
        sequences: SequenceStore(database: services.database, ids: services.ids, time: services.time),
        stats: SequenceStatsStore(database: services.database),
        messages: MessageStore(database: services.database, ids: services.ids, time: services.time)
    ).register(on: dashboard)
    TeamPages(templates: templates, accounts: services.accounts).register(on: dashboard)

    let api = router.group("api/v1")
        .add(middleware: APIKeyMiddleware(keys: services.apiKeys))
        .group(context: APIRequestContext.self)
        .add(middleware: APIRoleMiddleware())
    LeadsController(leads: services.leads, companies: services.companies, ingestor: services.ingestor)
        .register(on: api)
    CompaniesController(companies: services.companies).register(on: api)
    ImportsController(submitter: services.importSubmitter, imports: services.imports, uploads: services.uploads)
        .register(on: api)
    JobsController(jobs: services.jobs).register(on: api)
    EnrichmentsController(pipeline: services.pipeline).register(on: api)
    SyncsController(pipeline: services.pipeline).register(on: api)
    SavedSearchesController(pipeline: services.pipeline, jobs: services.jobs).register(on: api)
    ConnectionsController(connections: services.connections, outbound: services.pipeline.registry.outbound).register(
        on: api)
    ScenariosController(scenarios: services.pipeline.scenarios, publicURL: services.hooksURL ?? services.publicURL)
        .register(on: api)
    SuppressionsController(
        suppressions: SuppressionStore(database: services.database, ids: services.ids, time: services.time)
    ).register(on: api)
    SequencesController(
        sequences: SequenceStore(database: services.database, ids: services.ids, time: services.time),
        leads: services.leads,
        companies: CompanyStore(database: services.database),
        enrollments: EnrollmentStore(database: services.database, ids: services.ids, time: services.time),
        enrollment: EnrollmentService(
            enrollments: EnrollmentStore(database: services.database, ids: services.ids, time: services.time),
            suppressions: SuppressionStore(database: services.database, ids: services.ids, time: services.time),
            jobs: services.jobs)
    ).register(on: api)
    SequenceActivityController(
        sequences: SequenceStore(database: services.database, ids: services.ids, time: services.time),
        enrollments: EnrollmentStore(database: services.database, ids: services.ids, time: services.time),
        messages: MessageStore(database: services.database, ids: services.ids, time: services.time),
        stats: SequenceStatsStore(database: services.database),
        jobs: services.jobs
    ).register(on: api)
    SendersController(senders: SenderStore(database: services.database, ids: services.ids, time: services.time))
        .register(on: api)
    routeMethods.load(router)
    return router
}

/// Applies `ProblemMiddleware` to every path under `/api/` and `/webhooks/`, unknown paths included, so API
/// clients and providers always get `application/problem+json`.
struct APIProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let problems = ProblemMiddleware<AppRequestContext>()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix("/api/") || path.hasPrefix("/webhooks/") || path.hasPrefix("/hooks/") else {
            return try await next(request, context)
        }
        return try await problems.handle(request, context: context, next: next)
    }
}
