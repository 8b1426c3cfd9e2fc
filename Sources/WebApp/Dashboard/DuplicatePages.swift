import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Storage

/// `/duplicates`: the review queue of likely duplicates. Each pair side by side, field by field, with the
/// probability and what agreed; members merge a pair, mark it "not a duplicate", accept every pair at or
/// above a threshold at once, or queue a new scan.
struct DuplicatePages {
    let templates: Templates
    let pairs: DuplicatePairStore
    let leads: LeadStore
    let companies: CompanyStore
    let deduplication: LeadDeduplication
    let jobs: JobQueue

    /// Pairs shown at once.
    static let pageSize = 50

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("duplicates", use: show)
        group.post("duplicates/scan", use: scan)
        group.post("duplicates/merge", use: merge)
        group.post("duplicates/distinct", use: distinct)
        group.post("duplicates/accept", use: accept)
    }

    struct Row {
        var label: String
        var a: String
        var b: String
        var differ: Bool
    }

    struct Pair {
        var a, b, probability, agreed: String
        var rows: [Row]
    }

    struct Page {
        var nav: Navigation
        var csrfToken: String
        var error: String?
        var notice: String?
        var canChange: Bool
        var pairs: [Pair]
        var hasPairs: Bool
        var total: String
        var minProbability: String
    }

    @Sendable func show(_ request: Request, context: DashboardContext) async throws -> Response {
        try await page(context, minProbability: Self.probability(request.uri.queryParameters.get("min")) ?? 0)
    }

    private func page(
        _ context: DashboardContext, minProbability: Double = 0, error: String? = nil, notice: String? = nil
    ) async throws -> Response {
        let workspace = context.session.user.workspaceID
        let open = try await pairs.pairs(.open, in: workspace, minProbability: minProbability, limit: Self.pageSize)
        var shown: [Pair] = []
        for pair in open {
            guard let a = try await leads.get(pair.a, in: workspace), let b = try await leads.get(pair.b, in: workspace)
            else { continue }
            let names = try await companies.get(Set([a.companyID, b.companyID].compactMap { $0 }), in: workspace)
            let left = Self.fields(a, company: a.companyID.flatMap { names[$0] })
            let right = Self.fields(b, company: b.companyID.flatMap { names[$0] })
            shown.append(
                Pair(
                    a: a.id.rawValue, b: b.id.rawValue, probability: String(format: "%.4f", pair.probability),
                    agreed: pair.agreed.joined(separator: ", "),
                    rows: zip(left, right).map { Row(label: $0.0, a: $0.1, b: $1.1, differ: $0.1 != $1.1) }))
        }
        return try templates.page(
            "duplicates",
            Page(
                nav: Navigation(context, active: .duplicates), csrfToken: context.session.csrfToken, error: error,
                notice: notice, canChange: context.session.user.role >= .member, pairs: shown,
                hasPairs: !shown.isEmpty, total: "\(shown.count)",
                minProbability: minProbability > 0 ? String(format: "%.2f", minProbability) : ""),
            status: error == nil ? .ok : .badRequest)
    }

    /// A lead's fields as the review shows them, label and value.
    static func fields(_ lead: Lead, company: Company?) -> [(String, String)] {
        let f = lead.fields
        return [
            ("Name", f.fullName ?? ""), ("E-mail", f.email?.value ?? ""),
            ("Other e-mails", f.otherEmails.map(\.value).joined(separator: ", ")),
            (
                "Company",
                [company?.fields.name, company?.fields.domain?.value].compactMap { $0 }.joined(separator: " · ")
            ),
            ("Title", f.title ?? ""), ("Phones", f.phones.map { $0.e164 ?? $0.raw }.joined(separator: ", ")),
            ("LinkedIn", f.linkedinURL?.value ?? ""),
            ("Location", [f.city, f.state, f.country?.code].compactMap { $0 }.joined(separator: ", ")),
            ("Status", lead.status.rawValue), ("Tags", f.tags.joined(separator: ", ")),
            ("Created", WebhookPages.time(lead.createdAt)),
        ]
    }

    @Sendable func scan(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        let probability = Self.probability(form["min_probability"]) ?? LeadLinkage.defaultThreshold
        let workspace = context.session.user.workspaceID
        try await jobs.enqueue(try DedupeScanJob.job(workspace, minProbability: probability))
        return try await page(
            context, notice: "A scan is queued; the pairs it finds appear here when it has run.")
    }

    @Sendable func merge(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        let (a, b) = try Self.pair(form)
        let workspace = context.session.user.workspaceID
        let probability = try await pairs.pairs(.open, in: workspace, limit: 10_000)
            .first { $0.a == DuplicatePair.ordered(a, b).0 && $0.b == DuplicatePair.ordered(a, b).1 }?.probability
        do {
            let merge = try await deduplication.mergePair(
                a, b, in: workspace, probability: probability, actor: "user:\(context.session.user.email.value)")
            return try await page(
                context,
                notice: "Merged \(merge.absorbedID.rawValue) into \(merge.survivorID.rawValue). "
                    + "`leadgen leads unmerge \(merge.absorbedID.rawValue)` undoes it.")
        } catch let failure as LeadMergeStore.Failure {
            return try await page(context, error: failure.description)
        }
    }

    @Sendable func distinct(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        let (a, b) = try Self.pair(form)
        try await pairs.markDistinct(
            a, b, in: context.session.user.workspaceID, actor: "user:\(context.session.user.email.value)")
        return try await page(context, notice: "Kept apart: these two are never proposed or merged again.")
    }

    @Sendable func accept(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        guard let probability = Self.probability(form["min_probability"]) else {
            return try await page(context, error: "Threshold: a probability between 0 and 1, such as 0.95")
        }
        let summary = try await deduplication.mergeQueued(
            context.session.user.workspaceID, minProbability: probability,
            actor: "user:\(context.session.user.email.value)")
        return try await page(
            context,
            notice: "\(summary.merged) lead(s) merged into another, in \(summary.clusters) group(s)"
                + (summary.skipped > 0 ? "; \(summary.skipped) gone before their turn" : "") + ".")
    }

    /// The posted form, when its CSRF token is right (the role was checked on the way in: members change).
    private func checkedForm(_ request: Request, _ context: DashboardContext) async throws -> [String: String] {
        let form = try await Forms.read(request)
        try CSRF.check(form["csrf_token"], expected: context.session.csrfToken)
        return form
    }

    /// The two lead ids a form names.
    static func pair(_ form: [String: String]) throws -> (LeadID, LeadID) {
        guard let a = form["a"], let b = form["b"], !a.isEmpty, !b.isEmpty, a != b, a.count <= 100, b.count <= 100
        else { throw HTTPError(.badRequest, message: "Name two different leads (a and b).") }
        return (LeadID(rawValue: a), LeadID(rawValue: b))
    }

    /// A probability strictly between 0 and 1, from a form or query value.
    static func probability(_ text: String?) -> Double? {
        guard let text, text.count <= 20, let value = Double(text.trimmingCharacters(in: .whitespaces)),
            value > 0, value < 1
        else { return nil }
        return value
    }
}
