import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/jobs`: the workspace's background jobs; retry a dead one, cancel one not yet started.
struct JobsController {
    let jobs: JobQueue

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("jobs", use: list)
        group.get("jobs/:id", use: get)
        group.post("jobs/:id/retry", use: retry)
        group.post("jobs/:id/cancel", use: cancel)
    }

    struct JobDTO: Encodable {
        var id, queue, kind, state: String
        var attempts, maxAttempts, priority: Int
        var runAt, createdAt: Date
        var finishedAt: Date?
        var lastError: String?

        init(_ job: Job) {
            id = job.id
            queue = job.queue
            kind = job.kind
            state = job.state.rawValue
            attempts = job.attempts
            maxAttempts = job.maxAttempts
            priority = job.priority
            runAt = job.runAt
            createdAt = job.createdAt
            finishedAt = job.finishedAt
            lastError = job.lastError
        }
    }

    struct Page: Encodable {
        var data: [JobDTO]
        var nextCursor: String?
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        var errors: [Problem.FieldError] = []
        for (key, _) in parameters where !["state", "limit", "cursor"].contains(String(key)) {
            errors.append(.init(field: String(key), message: "unknown query parameter"))
        }
        var state: JobState?
        if let text = parameters["state"] {
            state = JobState(rawValue: String(text))
            if state == nil {
                errors.append(
                    .init(
                        field: "state",
                        message: "expected one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        var limit = 50
        if let text = parameters["limit"] {
            if let value = Int(text), (1...200).contains(value) {
                limit = value
            } else {
                errors.append(.init(field: "limit", message: "expected a number from 1 to 200"))
            }
        }
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        let page = try await jobs.list(
            state: state, in: context.workspace, before: parameters["cursor"].map(String.init), limit: limit + 1)
        let data = page.prefix(limit).map(JobDTO.init)
        return try JSONResponse.make(Page(data: Array(data), nextCursor: page.count > limit ? data.last?.id : nil))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let job = try await jobs.get(id, in: context.workspace) else { throw Problem.notFound("job \(id)") }
        return try JSONResponse.make(JobDTO(job))
    }

    @Sendable func retry(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await change(context, conflict: "only a dead or cancelled job can be retried") { id in
            try await jobs.retry(id, in: context.workspace)
        }
    }

    @Sendable func cancel(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await change(context, conflict: "only a pending job can be cancelled") { id in
            try await jobs.cancel(id, in: context.workspace)
        }
    }

    private func change(
        _ context: APIRequestContext, conflict: String, _ apply: (String) async throws -> Bool
    ) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await jobs.get(id, in: context.workspace) != nil else { throw Problem.notFound("job \(id)") }
        guard try await apply(id) else { throw Problem(status: .conflict, title: "Conflict", detail: conflict) }
        guard let job = try await jobs.get(id, in: context.workspace) else { throw Problem.notFound("job \(id)") }
        return try JSONResponse.make(JobDTO(job))
    }
}
