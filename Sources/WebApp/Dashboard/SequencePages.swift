import Foundation
import Hummingbird
import LeadgenCore
import Outreach
import Storage

/// `/sequences` (every sequence with its enrolments and messages) and `/sequences/{id}` (its figures per step
/// and variant, the messages whose fate is unknown, pause and resume). Sequences are written as JSON through
/// the API or `leadgen sequences create`.
struct SequencePages {
    let templates: Templates
    let sequences: SequenceStore
    let stats: SequenceStatsStore
    let messages: MessageStore

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("sequences", use: list)
        group.get("sequences/:id", use: detail)
        group.post("sequences/:id/pause", use: pause)
        group.post("sequences/:id/resume", use: resume)
    }

    struct Row {
        var id, name, status: String
        var steps, active, finished, replied, stopped, sent: Int
    }

    struct ListPage {
        var nav: Navigation
        var sequences: [Row]
        var hasSequences: Bool
    }

    @Sendable func list(_ request: Request, context: DashboardContext) async throws -> Response {
        let workspace = context.session.user.workspaceID
        var rows: [Row] = []
        for sequence in try await sequences.list(in: workspace) {
            let figures = try await stats.stats(sequence: sequence.id, in: workspace)
            let steps = (try? SequenceDefinition(json: Data(sequence.definition.utf8)))?.steps.count ?? 0
            rows.append(
                Row(
                    id: sequence.id, name: sequence.name, status: sequence.status.rawValue, steps: steps,
                    active: figures.enrollments["active", default: 0] + figures.enrollments["paused", default: 0],
                    finished: figures.enrollments["finished", default: 0],
                    replied: figures.enrollments["replied", default: 0],
                    stopped: ["bounced", "unsubscribed", "failed"].reduce(0) {
                        $0 + figures.enrollments[$1, default: 0]
                    },
                    sent: figures.steps.reduce(0) { $0 + $1.sent }))
        }
        return try templates.page(
            "sequences",
            ListPage(nav: Navigation(context, active: .sequences), sequences: rows, hasSequences: !rows.isEmpty))
    }

    struct StepRow {
        var step, variant, channel: String
        var sent, delivered, opened, clicked, replied, bounced, unsubscribed, spam, failed, unknown: Int
        var openRate, replyRate: String
    }

    struct Count {
        var status: String
        var count: Int
    }

    struct UnknownRow {
        var recipient, step, error, when: String
    }

    struct DetailPage {
        var nav: Navigation
        var csrfToken: String
        var id, name, status: String
        var paused: Bool
        var enrollments: [Count]
        var steps: [StepRow]
        var hasSteps: Bool
        var unknown: [UnknownRow]
        var hasUnknown: Bool
    }

    @Sendable func detail(_ request: Request, context: DashboardContext) async throws -> Response {
        let workspace = context.session.user.workspaceID
        let id = try context.parameters.require("id")
        guard let sequence = try await sequences.get(id, in: workspace) else {
            throw DashboardError.notFound
        }
        let figures = try await stats.stats(sequence: id, in: workspace)
        func rate(_ part: Int, _ whole: Int) -> String {
            whole == 0 ? "–" : String(format: "%.0f%%", Double(part) * 100 / Double(whole))
        }
        let steps = figures.steps.map {
            StepRow(
                step: $0.stepID, variant: $0.variant ?? "", channel: $0.channel, sent: $0.sent, delivered: $0.delivered,
                opened: $0.opened, clicked: $0.clicked, replied: $0.replied, bounced: $0.bounced,
                unsubscribed: $0.unsubscribed, spam: $0.spamReports, failed: $0.failed, unknown: $0.unknown,
                openRate: $0.channel == "email" ? rate($0.opened, $0.sent) : "–", replyRate: rate($0.replied, $0.sent))
        }
        let formatter = ISO8601DateFormatter()
        let unknown = try await messages.list(sequence: id, status: .unknown, in: workspace, limit: 100).map {
            UnknownRow(
                recipient: $0.recipient, step: $0.stepID, error: $0.error ?? "",
                when: formatter.string(from: $0.createdAt))
        }
        let page = DetailPage(
            nav: Navigation(context, active: .sequences), csrfToken: context.session.csrfToken, id: sequence.id,
            name: sequence.name, status: sequence.status.rawValue, paused: sequence.status == .paused,
            enrollments: Enrollment.Status.allCases.map {
                Count(status: $0.rawValue, count: figures.enrollments[$0.rawValue, default: 0])
            },
            steps: steps, hasSteps: !steps.isEmpty, unknown: unknown, hasUnknown: !unknown.isEmpty)
        return try templates.page("sequence", page)
    }

    @Sendable func pause(_ request: Request, context: DashboardContext) async throws -> Response {
        try await setStatus(.paused, request, context)
    }

    @Sendable func resume(_ request: Request, context: DashboardContext) async throws -> Response {
        try await setStatus(.active, request, context)
    }

    private func setStatus(_ status: StoredSequence.Status, _ request: Request, _ context: DashboardContext)
        async throws -> Response
    {
        let form = try await Forms.read(request)
        try CSRF.check(form["csrf_token"], expected: context.session.csrfToken)
        let id = try context.parameters.require("id")
        guard try await sequences.setStatus(id, status, in: context.session.user.workspaceID) != nil else {
            throw DashboardError.notFound
        }
        return Redirect.to("/sequences/\(id)")
    }
}
