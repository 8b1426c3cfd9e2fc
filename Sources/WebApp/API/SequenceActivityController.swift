import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Storage

/// What a sequence did: its statistics per step and variant, its messages (with the unknown ones a person
/// must decide about), and pausing or resuming one enrolment.
struct SequenceActivityController {
    let sequences: SequenceStore
    let enrollments: EnrollmentStore
    let messages: MessageStore
    let stats: SequenceStatsStore
    let jobs: JobQueue

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("sequences/:id/stats", use: statistics)
        group.get("sequences/:id/messages", use: listMessages)
        group.post("sequences/:id/enrollments/:enrollment/pause", use: pauseEnrollment)
        group.post("sequences/:id/enrollments/:enrollment/resume", use: resumeEnrollment)
    }

    @Sendable func statistics(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        return try JSONResponse.make(try await stats.stats(sequence: stored.id, in: context.workspace))
    }

    struct MessageDTO: Encodable {
        var id, enrollmentId, leadId, stepId, channel, provider, recipient, status: String
        var stepIndex: Int
        var variant, subject, error, providerMessageId: String?
        var createdAt: Date
        var sentAt: Date?
    }

    struct Messages: Encodable { var data: [MessageDTO] }

    /// `?status=sent|unknown|failed|sending` narrows the list.
    @Sendable func listMessages(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        let parameters = request.uri.queryParameters
        var status: OutreachMessage.Status?
        for (key, _) in parameters where key != "status" {
            throw Problem.invalid([.init(field: String(key), message: "unknown query parameter")])
        }
        if let text = parameters["status"] {
            guard let parsed = OutreachMessage.Status(rawValue: String(text)) else {
                let names = OutreachMessage.Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem.invalid([.init(field: "status", message: "expected one of \(names)")])
            }
            status = parsed
        }
        let list = try await messages.list(sequence: stored.id, status: status, in: context.workspace)
        return try JSONResponse.make(
            Messages(
                data: list.map {
                    MessageDTO(
                        id: $0.id, enrollmentId: $0.enrollmentID, leadId: $0.leadID.rawValue, stepId: $0.stepID,
                        channel: $0.channel, provider: $0.provider, recipient: $0.recipient,
                        status: $0.status.rawValue, stepIndex: $0.stepIndex, variant: $0.variant, subject: $0.subject,
                        error: $0.error, providerMessageId: $0.providerMessageID, createdAt: $0.createdAt,
                        sentAt: $0.sentAt)
                }))
    }

    struct EnrollmentState: Encodable {
        var id, status: String
        var stepIndex: Int
        var statusReason: String?
    }

    @Sendable func pauseEnrollment(_ request: Request, context: APIRequestContext) async throws -> Response {
        let enrollment = try await self.enrollment(context)
        guard enrollment.status == .active || enrollment.status == .paused else {
            throw Problem(
                status: .conflict, title: "Conflict", detail: "the enrolment is \(enrollment.status.rawValue) already")
        }
        try await enrollments.setStatus(enrollment.id, .paused, reason: "paused_by_user", in: context.workspace)
        return try JSONResponse.make(try await state(enrollment.id, context))
    }

    /// Resumes a paused enrolment. One paused on a task (`task: …`) or on a message whose fate is unknown
    /// (`unknown_send`) goes on with the next step: the person resuming it says the step is done.
    @Sendable func resumeEnrollment(_ request: Request, context: APIRequestContext) async throws -> Response {
        let enrollment = try await self.enrollment(context)
        guard enrollment.status == .paused else {
            throw Problem(
                status: .conflict, title: "Conflict",
                detail: "only a paused enrolment resumes; this one is \(enrollment.status.rawValue)")
        }
        let reason = enrollment.statusReason ?? ""
        let skip = reason == "unknown_send" || reason.hasPrefix("task:")
        try await enrollments.resume(
            enrollment.id, at: skip ? enrollment.stepIndex + 1 : nil, in: context.workspace)
        try await jobs.enqueue(try OutreachDispatchJob.newJob())
        return try JSONResponse.make(try await state(enrollment.id, context))
    }

    private func state(_ id: String, _ context: APIRequestContext) async throws -> EnrollmentState {
        guard let enrollment = try await enrollments.get(id, in: context.workspace) else {
            throw Problem.notFound("enrolment \(id)")
        }
        return EnrollmentState(
            id: enrollment.id, status: enrollment.status.rawValue, stepIndex: enrollment.stepIndex,
            statusReason: enrollment.statusReason)
    }

    private func enrollment(_ context: APIRequestContext) async throws -> Enrollment {
        let stored = try await sequence(context)
        let id = try context.parameters.require("enrollment")
        guard let enrollment = try await enrollments.get(id, in: context.workspace), enrollment.sequenceID == stored.id
        else { throw Problem.notFound("enrolment \(id)") }
        return enrollment
    }

    private func sequence(_ context: APIRequestContext) async throws -> StoredSequence {
        let id = try context.parameters.require("id")
        guard let sequence = try await sequences.get(id, in: context.workspace) else {
            throw Problem.notFound("sequence \(id)")
        }
        return sequence
    }
}
