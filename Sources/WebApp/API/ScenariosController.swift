import Automation
import Foundation
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Storage

/// `/api/v1/scenarios`: import Make.com blueprints, enable them, run them, and read their run history.
struct ScenariosController {
    let scenarios: ScenarioService
    let publicURL: URL?

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("scenarios", use: list)
        group.post("scenarios", use: create)
        group.get("scenarios/:id", use: get)
        group.delete("scenarios/:id", use: delete)
        group.post("scenarios/:id/enable", use: enable)
        group.post("scenarios/:id/disable", use: disable)
        group.post("scenarios/:id/runs", use: run)
        group.get("scenarios/:id/runs", use: runs)
        group.get("scenario-runs/:id", use: getRun)
        group.get("scenarios/:id/incomplete", use: incomplete)
        group.post("scenario-incomplete/:id/retry", use: retry)
    }

    struct ScenarioDTO: Encodable {
        var id, name: String
        var enabled: Bool
        var sequential: Bool
        /// The platform events that start it.
        var events: [String]
        var webhookPath: String
        var webhookURL: String?
        var modules: Int
        var problems: [String]
        var nextRunAt: Date?
        var createdAt, updatedAt: Date
    }

    struct RunDTO: Encodable {
        var id, scenarioId, trigger, status: String
        var operations: Int
        var error: String?
        var createdAt: Date
        var finishedAt: Date?
        var report: JSON?
        var response: JSON?
    }

    func dto(_ scenario: StoredScenario, problems: [BlueprintProblem]? = nil) -> ScenarioDTO {
        let blueprint = try? Blueprint(data: Data(scenario.blueprint.utf8))
        let found =
            problems ?? blueprint.map { scenarios.problems($0) } ?? []
        let path = "/hooks/\(scenario.hookToken)"
        return ScenarioDTO(
            id: scenario.id, name: scenario.name, enabled: scenario.enabled, sequential: scenario.sequential,
            events: blueprint.map { scenarios.watchedEvents($0) } ?? [], webhookPath: path,
            webhookURL: publicURL.map {
                $0.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
            },
            modules: blueprint?.allModules.count ?? 0, problems: found.map(\.description),
            nextRunAt: scenario.nextRunAt, createdAt: scenario.createdAt, updatedAt: scenario.updatedAt)
    }

    static func dto(_ run: StoredScenarioRun, detail: Bool) -> RunDTO {
        RunDTO(
            id: run.id, scenarioId: run.scenarioID, trigger: run.trigger, status: run.status.rawValue,
            operations: run.operations, error: run.error, createdAt: run.createdAt, finishedAt: run.finishedAt,
            report: detail ? run.report.flatMap { try? JSON.parse(Data($0.utf8)) } : nil,
            response: detail ? run.response.flatMap { try? JSON.parse(Data($0.utf8)) } : nil)
    }

    struct Page<T: Encodable>: Encodable { var data: [T] }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Page(data: try await scenarios.store.list(in: context.workspace).map { dto($0) }))
    }

    /// The body is the blueprint itself (either form); `?name=` and `?enabled=true` are optional.
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        let parameters = request.uri.queryParameters
        do {
            let imported = try await scenarios.importBlueprint(
                Data(buffer: buffer), name: parameters["name"].map(String.init),
                enabled: parameters["enabled"].map { $0 == "true" } ?? false, in: context.workspace)
            return try JSONResponse.make(dto(imported.scenario, problems: imported.problems), status: .created)
        } catch let error as BlueprintError {
            throw Problem.invalid([.init(field: error.path.isEmpty ? "body" : error.path, message: error.message)])
        }
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(dto(try await scenario(context)))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let scenario = try await scenario(context)
        _ = try await scenarios.store.delete(scenario.id, in: context.workspace)
        return Response(status: .noContent)
    }

    @Sendable func enable(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await setEnabled(true, context)
    }

    @Sendable func disable(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await setEnabled(false, context)
    }

    private func setEnabled(_ enabled: Bool, _ context: APIRequestContext) async throws -> Response {
        let scenario = try await scenario(context)
        try await scenarios.setEnabled(scenario, enabled)
        return try JSONResponse.make(dto(try await self.scenario(context)))
    }

    /// Runs the scenario once with the body as the trigger bundle (an array for several).
    @Sendable func run(_ request: Request, context: APIRequestContext) async throws -> Response {
        let scenario = try await scenario(context)
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        var bundles: [JSON] = [.object([:])]
        if buffer.readableBytes > 0 {
            do {
                let json = try JSON.parse(Data(buffer: buffer))
                bundles = if case .array(let items) = json { items } else { [json] }
            } catch {
                throw Problem.badRequest("the body is not JSON")
            }
        }
        let run = try await scenarios.start(scenario, trigger: "manual", bundles: bundles)
        return try JSONResponse.make(Self.dto(run, detail: false), status: .accepted)
    }

    @Sendable func runs(_ request: Request, context: APIRequestContext) async throws -> Response {
        let scenario = try await scenario(context)
        return try JSONResponse.make(
            Page(data: try await scenarios.store.runs(of: scenario.id).map { Self.dto($0, detail: false) }))
    }

    @Sendable func getRun(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let run = try await scenarios.store.run(id, in: context.workspace) else {
            throw Problem.notFound("scenario run \(id)")
        }
        return try JSONResponse.make(Self.dto(run, detail: true))
    }

    struct IncompleteDTO: Encodable {
        var id, scenarioId, runId, status, error: String
        var moduleId, attempts, maxAttempts, intervalMinutes: Int
        var autoRetry: Bool
        var nextAttemptAt: Date?
        var lastRunId: String?
        var createdAt, updatedAt: Date
    }

    static func dto(_ item: IncompleteExecution) -> IncompleteDTO {
        IncompleteDTO(
            id: item.id, scenarioId: item.scenarioID, runId: item.runID, status: item.status.rawValue,
            error: item.error, moduleId: item.moduleID, attempts: item.attempts, maxAttempts: item.maxAttempts,
            intervalMinutes: item.intervalMinutes, autoRetry: item.autoRetry, nextAttemptAt: item.nextAttemptAt,
            lastRunId: item.lastRunID, createdAt: item.createdAt, updatedAt: item.updatedAt)
    }

    /// The scenario's incomplete executions, newest first.
    @Sendable func incomplete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let scenario = try await scenario(context)
        return try JSONResponse.make(
            Page(data: try await scenarios.incompletes.list(scenario: scenario.id).map(Self.dto)))
    }

    /// Retries an incomplete execution now, from the module it stopped at: 202 with the retry's run.
    @Sendable func retry(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let item = try await scenarios.incompletes.get(id, in: context.workspace) else {
            throw Problem.notFound("incomplete execution \(id)")
        }
        guard let run = try await scenarios.retry(item) else {
            throw Problem(
                status: .conflict, title: "Conflict",
                detail:
                    "incomplete execution \(id) is \(item.status == .resolved ? "resolved" : "being retried") already")
        }
        return try JSONResponse.make(Self.dto(run, detail: false), status: .accepted)
    }

    private func scenario(_ context: APIRequestContext) async throws -> StoredScenario {
        let id = try context.parameters.require("id")
        guard let scenario = try await scenarios.store.get(id, in: context.workspace) else {
            throw Problem.notFound("scenario \(id)")
        }
        return scenario
    }
}
