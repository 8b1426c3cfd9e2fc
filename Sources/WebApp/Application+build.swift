import App
import Crypto
import Foundation
import Hummingbird
import LeadgenCore
import Logging
import Outreach
import Pipeline
import Probes
import Sandbox
import Storage

/// The application `leadgen serve` runs and the tests exercise: only the configuration differs.
public func buildApplication(config: LeadgenConfig, root: AppRoot, web: WebSettings) async throws
    -> some ApplicationProtocol
{
    Application(
        router: try await buildRouter(root, web: web),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Leadgen"),
        services: root.runsJobs ? root.jobServices : [],
        logger: root.logger)
}

/// Every route: health checks, the API under `/api/v1`, and the dashboard.
public func buildRouter(_ root: AppRoot, web: WebSettings = WebSettings()) async throws
    -> Router<AppRequestContext>
{
    let templates = try await Templates.load()
    let stores = root.stores
    let settings = root.registry.settings
    let publicURL = root.settings.publicURL
    let uploads = UploadReceiver(directory: root.settings.uploadDirectory, limit: web.maxBodySize)
    let submitter = ImportSubmitter(
        database: root.database, imports: stores.imports, files: stores.importFiles, jobs: stores.jobs)
    let router = Router(context: AppRequestContext.self)
    let routeMethods = RouteMethods()
    let requestMetrics = RequestMetrics()
    router.addMiddleware {
        RequestTracingMiddleware()
        RequestMetricsMiddleware(metrics: requestMetrics)
        ForwardedHeadersMiddleware(trusted: ForwardedHeadersMiddleware.loopback + web.trustedProxies)
        RequestLogMiddleware(.info)
        SecurityHeadersMiddleware()
        ExtensionCORSMiddleware(extensionIDs: web.extensionIDs)
        APIProblemMiddleware()
        DashboardErrorMiddleware(templates: templates, users: stores.users)
        SessionMiddleware(sessions: stores.sessions)
        MethodNotAllowedMiddleware(routes: routeMethods)
    }
    HealthController(database: root.database).register(on: router)
    MetricsController(token: web.metricsToken, sources: root.metricsSources + [requestMetrics]).register(on: router)
    InboundHookController(hooks: stores.inboundHooks, intake: root.inboundLeads, maxBody: 256 * 1024)
        .register(on: router)
    ApolloWebhookController(webhooks: stores.webhooks, delivery: root.phoneDelivery, maxBody: 5_000_000)
        .register(on: router)
    HubSpotWebhookController(
        secret: settings.hubspotWebhookSecret, publicURL: publicURL, changes: root.hubspotChanges, maxBody: 5_000_000,
        now: root.time.now
    ).register(on: router)
    MessagingWebhooksController(
        sendgridKey: settings.sendgridWebhookPublicKey, sendgridInboundToken: settings.sendgridInboundParseToken,
        mailgunKey: settings.mailgunWebhookSigningKey, twilioToken: settings.twilioAuthToken, publicURL: publicURL,
        intake: root.messageEvents, webhooks: stores.webhooks, workspaces: stores.workspaces, maxBody: 5_000_000,
        now: root.time.now
    ).register(on: router)
    UnsubscribeController(
        keyData: root.settings.masterKey.map { UnsubscribeToken.key(masterKey: $0).withUnsafeBytes { Data($0) } },
        suppressions: stores.suppressions, workspaces: stores.workspaces, engagement: root.engagement,
        templates: templates, now: root.time.now
    ).register(on: router)
    ScenarioHooksController(hooks: root.scenarioHooks, maxBody: 5 * 1024 * 1024).register(on: router)
    web.sandbox?.addRoutes(to: router, prefix: "/sandbox")
    try StaticFiles.load().register(on: router)
    AuthPages(
        templates: templates, accounts: root.accounts, users: stores.users, sessions: stores.sessions,
        throttle: stores.loginThrottle
    )
    .register(on: router)
    let dashboard = router.group(context: DashboardContext.self).add(middleware: DashboardRoleMiddleware())
    LeadsPages(
        templates: templates, leads: stores.leads, companies: stores.companies, phoneReveals: stores.phoneReveals
    ).register(on: dashboard)
    DuplicatePages(
        templates: templates, pairs: stores.duplicatePairs, leads: stores.leads, companies: stores.companies,
        deduplication: root.deduplication, jobs: stores.jobs
    ).register(on: dashboard)
    ImportPages(templates: templates, submitter: submitter, imports: stores.imports, uploads: uploads)
        .register(on: dashboard)
    PipelinePages(
        templates: templates, registry: root.registry, searches: stores.savedSearches, enrichment: root.enrichment,
        enrichmentRuns: stores.enrichment, sync: root.sync, syncRuns: stores.sync, jobs: stores.jobs,
        now: root.time.now
    ).register(on: dashboard)
    SequencePages(
        templates: templates, sequences: stores.sequences, stats: stores.sequenceStats, messages: stores.messages
    ).register(on: dashboard)
    WebhookPages(
        templates: templates, endpoints: stores.webhookEndpoints, messages: stores.webhookMessages,
        outbound: root.registry.outbound, now: root.time.now
    ).register(on: dashboard)
    TeamPages(templates: templates, accounts: root.accounts).register(on: dashboard)

    let api = router.group("api/v1")
        .add(middleware: APIKeyMiddleware(keys: stores.apiKeys))
        .group(context: APIRequestContext.self)
        .add(middleware: APIRoleMiddleware())
    MeController().register(on: api)
    LeadBatchController(ingestor: stores.ingestor).register(on: api)
    LeadLookupController(leads: stores.leads, companies: stores.companies, enrollments: stores.enrollments)
        .register(on: api)
    LeadsController(leads: stores.leads, companies: stores.companies, ingestor: stores.ingestor).register(on: api)
    CompaniesController(companies: stores.companies).register(on: api)
    ImportsController(submitter: submitter, imports: stores.imports, uploads: uploads).register(on: api)
    JobsController(jobs: stores.jobs).register(on: api)
    EnrichmentsController(
        registry: root.registry, enrichment: root.enrichment, store: stores.enrichment,
        phoneReveals: stores.phoneReveals
    ).register(on: api)
    SyncsController(registry: root.registry, sync: root.sync, store: stores.sync).register(on: api)
    SavedSearchesController(registry: root.registry, searches: stores.savedSearches, jobs: stores.jobs)
        .register(on: api)
    ConnectionsController(connections: stores.connections, outbound: root.registry.outbound).register(on: api)
    ScenariosController(scenarios: root.scenarios, publicURL: web.hooksURL ?? publicURL).register(on: api)
    SuppressionsController(suppressions: stores.suppressions).register(on: api)
    SequencesController(
        sequences: stores.sequences, leads: stores.leads, companies: stores.companies,
        enrollments: stores.enrollments, enrollment: root.enrollment
    ).register(on: api)
    SequenceActivityController(
        sequences: stores.sequences, enrollments: stores.enrollments, messages: stores.messages,
        stats: stores.sequenceStats, jobs: stores.jobs
    ).register(on: api)
    SendersController(senders: stores.senders).register(on: api)
    InboundHooksController(hooks: stores.inboundHooks, publicURL: web.hooksURL ?? publicURL).register(on: api)
    WebhooksController(
        endpoints: stores.webhookEndpoints, messages: stores.webhookMessages, outbound: root.registry.outbound
    ).register(on: api)
    routeMethods.load(router)
    return router
}
